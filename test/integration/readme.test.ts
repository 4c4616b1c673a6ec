import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../local/ports.js';

/**
 * The README as a new user follows it: `npm start` with a fresh data directory, then every block
 * marked `<!-- readme-test: name -->` run as written (bash, from the repository root), with the
 * server's port and data directory substituted for the defaults. Each block has its check below,
 * and each check its block. Then the restart the README gives (`npm start -- --reset`) and the
 * blocks of docs/CONTRACT.md on the fresh state.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const DEFAULT_BASE = 'http://127.0.0.1:3000';
const START_TIMEOUT_MS = 180_000;
const SEED_ID = 'international-putin-kursk-visit';

interface Block {
  name: string;
  script: string;
}

function markedBlocks(file: string): Block[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/<!-- readme-test: ([\w-]+) -->\n```sh\n([\s\S]*?)```/g)].map((m) => ({ name: m[1]!, script: m[2]! }));
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

type Check = (run: Run) => void;

const json = (line: string) => JSON.parse(line) as { results?: { id: string; status: string; errors?: { field: string }[] }[]; id?: string; status?: string };
const lines = (text: string) => text.trim().split('\n');

const README_CHECKS: Record<string, Check> = {
  'post-examples': ({ stdout }) => {
    expect(lines(stdout).map((l) => json(l).results)).toEqual([
      [{ index: 0, id: 'example-minimal-story', status: 'stored' }],
      [{ index: 0, id: 'example-full-story', status: 'stored' }],
    ]);
  },
  'read-feeds': ({ stdout }) => {
    expect(stdout).toMatch(/"title": *"Example: the smallest valid article record"/);
    expect(stdout).toMatch(/"title": *"Example: an article record with every optional field"/);
    expect(stdout).toMatch(/^HTTP\/1\.1 200 OK\r?$/m);
    expect(stdout).toMatch(/^content-type: application\/atom\+xml/im);
  },
  'bad-record': ({ stdout }) => {
    const [body, status] = lines(stdout);
    expect(status).toBe('400');
    const [result] = json(body!).results!;
    expect(result).toMatchObject({ id: 'Example Bad Record!', status: 'error', error: 'invalid' });
    expect(result!.errors!.map((e) => e.field)).toEqual(['id', 'title', 'url', 'section', 'authors', 'image.url', 'image.width', 'publishedAt', 'status']);
  },
  'ingest-local': ({ stdout, stderr }) => {
    expect(stdout).toMatch(/^unchanged +example-minimal-story +docs\/examples\/valid\.json$/m);
    expect(stdout).toMatch(/^unchanged +example-full-story +docs\/examples\/full\.json$/m);
    expect(stderr).toMatch(/^ingest: posting to http:\/\/127\.0\.0\.1:\d+ \(local server, unsigned\)$/m);
    expect(stderr).not.toContain('NodeVersionSupportWarning');
  },
  'retract-example': ({ stdout }) => {
    expect(json(stdout)).toEqual({ id: 'example-minimal-story', status: 'retracted' });
  },
  scheduled: ({ stdout }) => {
    const [answer, before, after] = lines(stdout);
    const [result] = json(answer!).results!;
    expect(result).toMatchObject({ id: 'example-scheduled-story', status: 'scheduled' });
    expect(Date.parse((result as unknown as { publishAt: string }).publishAt)).toBeGreaterThan(Date.now() - 15_000);
    expect([before, after]).toEqual(['0', '1']);
  },
  'replay-local': ({ stdout }) => {
    expect(stdout).toContain('replayed 0 batch(es); 0 still failing');
  },
  partner: ({ stdout }) => {
    const out = lines(stdout);
    expect(out[0]).toBe('200');
    expect(out).toEqual(expect.arrayContaining([expect.stringMatching(/^acme-news +1 key$/)]));
    expect(out).toContain('Revoked 1 key of partner "acme-news" in the key file ' + '<DATA_DIR>/partner-keys.json.');
    expect(out.at(-1)).toBe('403');
  },
};

const CONTRACT_CHECKS: Record<string, Check> = {
  'contract-examples': ({ stdout }) => {
    const [posted, retracted] = lines(stdout).map(json);
    expect(posted!.results).toEqual([{ index: 0, id: 'example-minimal-story', status: 'stored' }]);
    expect(retracted).toEqual({ id: 'example-minimal-story', status: 'retracted' });
  },
};

describe('README.md and docs/, command by command, against a fresh npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'readme-'));
  let port: number;
  let base: string;
  let server: ChildProcess | undefined;
  let output = '';

  const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !['PORT', 'DATA_DIR', 'DEBUG'].includes(k)));

  async function start(args: string[] = []): Promise<string> {
    let out = '';
    const child = spawn('npm', ['start', ...(args.length ? ['--', ...args] : [])], {
      cwd: ROOT,
      env: { ...cleanEnv(), PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    server = child;
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!out.includes('Feed publisher running')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start ${args.join(' ')} not ready:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    output += out;
    return out;
  }

  async function stop(): Promise<void> {
    const child = server;
    server = undefined;
    if (!child?.pid || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }

  function run(script: string): Promise<Run> {
    const substituted = script.replaceAll(DEFAULT_BASE, base);
    return new Promise((done) => {
      const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', substituted], { cwd: ROOT, env: { ...cleanEnv(), PORT: String(port), DATA_DIR: dataDir } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => done({ code: code ?? 1, stdout: stdout.replaceAll(dataDir, '<DATA_DIR>'), stderr }));
    });
  }

  async function runChecked(block: Block, checks: Record<string, Check>): Promise<void> {
    const result = await run(block.script);
    expect(result.code, `block ${block.name} failed:\n${result.stdout}\n${result.stderr}`).toBe(0);
    checks[block.name]!(result);
  }

  beforeAll(async () => {
    port = await findFreePort();
    base = `http://127.0.0.1:${port}`;
    await start();
  }, START_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    try {
      if (server?.pid && server.exitCode === null) process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  const readmeBlocks = markedBlocks('README.md');
  const contractBlocks = markedBlocks('docs/CONTRACT.md');

  it('marks its runnable blocks, and each has a check here (and each check a block)', () => {
    expect(readmeBlocks.map((b) => b.name).sort()).toEqual(Object.keys(README_CHECKS).sort());
    expect(contractBlocks.map((b) => b.name).sort()).toEqual(Object.keys(CONTRACT_CHECKS).sort());
  });

  for (const block of readmeBlocks) {
    it(`README block "${block.name}" runs as written`, async () => {
      await runChecked(block, README_CHECKS);
    }, 120_000);
  }

  it('names only local URLs that exist by default', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const urls = [...new Set([...readme.matchAll(/http:\/\/127\.0\.0\.1:3000[^\s`'"<>)|,]*/g)].map((m) => m[0].replace(/\.$/, '')))]
      // Templates, and the endpoints shown with their method in the blocks above.
      .filter((u) => !/[{}…$]/.test(u) && !u.includes('/articles'));
    expect(urls.length).toBeGreaterThan(8);
    for (const url of urls) {
      const response = await fetch(url.replace(DEFAULT_BASE, base), { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
      const expected = url.includes('/partners/') ? 401 : new URL(url).pathname.replace(/^\/$/, '') === '' ? 302 : 200;
      expect({ url, status: response.status }).toEqual({ url, status: expected });
    }
  });

  it('starts over with `npm start -- --reset`: only content/ published, partner keys kept', async () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('npm start -- --reset');
    await stop();
    const out = await start(['--reset']);
    expect(out).toMatch(new RegExp(`--reset: removed dynamodb, s3(, dead-letters\\.jsonl)? from ${dataDir.replaceAll('.', '\\.')}\n`));
    const feed = (await (await fetch(`${base}/feeds/international/feed.json`)).json()) as { items: { id: string }[] };
    expect(feed.items.map((i) => i.id.split('/').at(-1))).toEqual([SEED_ID]);
    expect(existsSync(join(dataDir, 'partner-keys.json'))).toBe(true);
  }, START_TIMEOUT_MS + 30_000);

  for (const block of contractBlocks) {
    it(`docs/CONTRACT.md block "${block.name}" runs as written (after the reset)`, async () => {
      await runChecked(block, CONTRACT_CHECKS);
    }, 60_000);
  }
});
