import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../local/ports.js';
import { postRaw } from '../helpers/http.js';

/** `npm start` as a user runs it, with its own data directory and port. */
const SEED_TITLE = 'Putin Visits Kursk';
const START_TIMEOUT_MS = 120_000;

/** Every process below `pid` (by parent pid, so detached children such as java count too). */
function descendants(pid: number): { pid: number; comm: string }[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return [{ pid: Number(d), ppid, comm }];
      } catch {
        return [];
      }
    });
  const found: { pid: number; comm: string }[] = [];
  const walk = (parent: number) => {
    for (const p of all.filter((q) => q.ppid === parent)) {
      found.push({ pid: p.pid, comm: p.comm });
      walk(p.pid);
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(5_000) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}


describe('npm start, as a new user meets it', () => {
  let npm: ChildProcess;
  let port: number;
  let base: string;
  let output = '';
  let dataDir: string;
  const probes: (number | 'refused')[] = [];
  const seedlessFeeds: number[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
    port = await findFreePort();
    base = `http://127.0.0.1:${port}`;
    npm = spawn('npm', ['start'], { env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    npm.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    npm.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    // Probe from the first millisecond: each request has its own time-out, so a hang fails the test.
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`not ready in time:\n${output}`);
      try {
        const r = await get(`${base}/feeds/international/rss.xml`);
        probes.push(r.status);
        if (r.status === 200 && !r.text.includes(SEED_TITLE)) seedlessFeeds.push(r.status);
        if (r.status === 200) break;
      } catch (error) {
        if (!String((error as { cause?: unknown }).cause ?? error).includes('ECONNREFUSED')) throw error;
        probes.push('refused');
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }, START_TIMEOUT_MS + 10_000);

  afterAll(() => {
    try {
      if (npm.pid && alive(npm.pid)) process.kill(-npm.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every request during start-up with 503 (Retry-After), then the full feed; never a hang, a 404 or an empty feed', async () => {
    const answers = probes.filter((p) => p !== 'refused');
    expect(answers.at(-1)).toBe(200);
    expect(answers.every((s) => s === 503 || s === 200)).toBe(true);
    expect(answers).toContain(503);
    expect(seedlessFeeds).toEqual([]);
  });

  it('refuses a body that is not JSON with 415, an oversize one with 413, in the JSON error shape', async () => {
    const wrongType = await postRaw(`${base}/articles`, 'text/plain', 10);
    expect(wrongType.status).toBe(415);
    expect(JSON.parse(wrongType.body)).toEqual({ error: 'unsupported media type', errors: [{ field: '(content-type)', message: expect.any(String) }] });
    const huge = await postRaw(`${base}/articles`, 'application/json', 11 * 1024 * 1024);
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toMatchObject({ error: 'payload too large', errors: [{ field: '(body)' }] });
  });

  it.each([
    '/feeds/%2e%2e%2fpartners%2finternational%2fninjs.json',
    '/feeds/international/..%2f..%2fpartners/international/atom.xml',
    '/feeds/%',
    '/feeds/%E0%A4%A',
    '//evil.example/x',
    '/\\evil.example/x',
  ])('refuses %s with 400 and no partner content', async (path) => {
    const r = await get(`${base}${path}`);
    expect(r.status).toBe(400);
    expect(r.headers.get('location')).toBeNull();
    expect(r.text).not.toContain(SEED_TITLE);
  });

  it('sends a browser opening rss.xml to the feed page, a feed reader gets the feed', async () => {
    const browser = await get(`${base}/feeds/international/rss.xml`, { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' });
    expect(browser.status).toBe(302);
    expect(browser.headers.get('location')).toBe('/feeds/international/index.html');
    const page = await get(`${base}/feeds/international/index.html`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const reader = await get(`${base}/feeds/international/rss.xml`, { accept: 'application/rss+xml, */*;q=0.1' });
    expect(reader.status).toBe(200);
    expect(reader.headers.get('content-type')).toMatch(/^application\/rss\+xml/);
  });

  it('restarts DynamoDB Local when java dies, resumes the stream, and keeps the archives whole', async () => {
    const java = descendants(npm.pid!).find((p) => p.comm === 'java');
    expect(java).toBeDefined();
    process.kill(java!.pid, 'SIGKILL');
    const record = {
      id: 'after-restart',
      title: 'Posted after DynamoDB Local restarted',
      summary: 'A later article.',
      contentHtml: '<p>Body</p>',
      url: 'https://news.example.org/international/after-restart',
      section: 'International',
      authors: [{ name: 'IIE Digital Desk' }],
      tags: [],
      publishedAt: '2025-05-21T12:00:00+05:30',
      updatedAt: '2025-05-21T12:00:00+05:30',
    };
    const deadline = Date.now() + START_TIMEOUT_MS;
    let posted: Response | undefined;
    while (Date.now() < deadline) {
      posted = await fetch(`${base}/articles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(record), signal: AbortSignal.timeout(20_000) });
      if (posted.status === 200) break;
      expect([503, 500]).toContain(posted.status);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(posted?.status).toBe(200);
    expect(output).toMatch(/DynamoDB Local restarted/);
    const feed = await get(`${base}/feeds/international/rss.xml`);
    expect(feed.text).toContain('Posted after DynamoDB Local restarted');
    const archive = await get(`${base}/feeds/international/archive/atom-0.xml`);
    expect(archive.text).toContain(SEED_TITLE);
    expect(archive.text).toContain('Posted after DynamoDB Local restarted');
    // The poller backed off while the table was away: a handful of log lines, not a stream of them.
    expect((output.match(/stream poll failed/g) ?? []).length).toBeLessThan(12);
  }, START_TIMEOUT_MS + 10_000);

  const scheduledAt = () => new Date(scheduledAtMs).toISOString();
  let scheduledAtMs = 0;

  it('accepts a scheduled article: answers scheduled with its time, and keeps it out of the feed', async () => {
    scheduledAtMs = Date.now() + 8_000;
    const record = {
      id: 'scheduled-over-restart',
      title: 'Scheduled before a restart',
      summary: 'An embargoed article.',
      contentHtml: '<p>Body</p>',
      url: 'https://news.example.org/international/scheduled-over-restart',
      section: 'International',
      authors: [{ name: 'IIE Digital Desk' }],
      tags: [],
      publishedAt: scheduledAt(),
      updatedAt: scheduledAt(),
    };
    const posted = await fetch(`${base}/articles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(record), signal: AbortSignal.timeout(20_000) });
    expect(await posted.json()).toEqual({ results: [{ index: 0, id: 'scheduled-over-restart', status: 'scheduled', publishAt: scheduledAt() }] });
    expect((await get(`${base}/feeds/international/rss.xml`)).text).not.toContain('Scheduled before a restart');
  });

  it('SIGTERM to npm stops every child (node, java, s3rver) and closes the ports', async () => {
    const ports = [port, ...[...output.matchAll(/(?:DynamoDB Local|s3rver) http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]))];
    expect(ports).toHaveLength(3);
    const children = descendants(npm.pid!);
    expect(children.map((c) => c.comm)).toEqual(expect.arrayContaining(['node', 'java']));
    const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    process.kill(npm.pid!, 'SIGTERM');
    await exited;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && children.some((c) => alive(c.pid))) await new Promise((r) => setTimeout(r, 100));
    expect(children.filter((c) => alive(c.pid))).toEqual([]);
    for (const p of ports) expect(await portOpen(p)).toBe(false);
  }, 30_000);

  it('started again on the same data: the scheduled article goes out without another request (re-armed, or at start-up if it came due meanwhile)', async () => {
    npm = spawn('npm', ['start'], { env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    npm.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    npm.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`not ready in time:\n${output}`);
      const r = await get(`${base}/feeds/international/rss.xml`).catch(() => undefined);
      if (r?.status === 200 && r.text.includes('Scheduled before a restart')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(output).toMatch(/Feed publisher running at/);
  }, START_TIMEOUT_MS + 10_000);
});
