import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleRecord } from '../helpers/factories.js';
import { captureLogs } from '../helpers/logs.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** Runs a bin/ entry point with tsx, as `npm run X --` does, with no AWS credentials around. */
function run(command: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && k !== 'PORT' && k !== 'DATA_DIR' && k !== 'DEBUG'));
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'bin', `${command}.ts`), ...args], { cwd: ROOT, env: { ...clean, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const COMMANDS = ['ingest', 'replay', 'partner', 'reconcile'] as const;

describe('operator commands: --help, wrong arguments', () => {
  it.each([...COMMANDS, 'local'])('%s --help prints the usage and the supported Node range, exits 0, no SDK warning', async (command) => {
    const { code, stdout, stderr } = await run(command, ['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npm (run|start)/);
    expect(stdout).toContain('Node.js 20.19 or later');
    expect(stderr).not.toContain('NodeVersionSupportWarning');
  });

  it.each([
    ['ingest', ['--bogus']],
    ['ingest', ['content']],
    ['ingest', ['content', '--local', '--endpoint', 'https://x.example']],
    ['replay', ['--bogus']],
    ['replay', []],
    ['replay', ['--local', '--port', 'abc']],
    ['partner', ['--bogus']],
    ['partner', ['add', 'Bad Name']],
    ['reconcile', ['--bogus']],
    ['reconcile', []],
  ] as const)('%s %j: one clear line on stderr, exit 2, no stack', async (command, args) => {
    const { code, stderr } = await run(command, [...args]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(new RegExp(`^${command}: .*see: npm run ${command} -- --help`));
    expect(stderr).not.toMatch(/\n\s+at |ERR_PARSE_ARGS/);
  });

  it('replay --local without a server: one line naming the port, exit 1', async () => {
    const { code, stderr } = await run('replay', ['--local'], { PORT: '9' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/replay failed: no local server at http:\/\/127\.0\.0\.1:9/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('operator commands against the local server', () => {
  let p: TestPublisher;
  let dataDir: string;
  let port: string;
  let folder: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cli-data-'));
    p = await startTestPublisher({ partnerKeyFile: join(dataDir, 'partner-keys.json') });
    port = new URL(p.url).port;
    folder = mkdtempSync(join(tmpdir(), 'cli-content-'));
    for (const id of ['cli-local-one', 'cli-local-two', 'cli-local-three']) writeFileSync(join(folder, `${id}.json`), JSON.stringify(articleRecord({ id, title: `Story ${id}` })));
  });
  afterAll(async () => {
    await p.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(folder, { recursive: true, force: true });
  });

  it('ingest --local posts unsigned to the running server (PORT / --port), with progress lines when not on a terminal', async () => {
    const byPort = await run('ingest', [folder, '--local', '--port', port, '--batch-size', '1']);
    expect(byPort.code).toBe(0);
    expect(byPort.stdout).toContain('3 record(s): 3 stored');
    expect(byPort.stderr).toContain(`ingest: posting to http://127.0.0.1:${port} (local server, unsigned)`);
    expect(byPort.stderr).toMatch(/^ingest: 3\/3 records \(100%/m);
    expect(byPort.stderr).not.toContain('{eta');
    expect((await p.feedIds('international')).sort()).toEqual(['cli-local-one', 'cli-local-three', 'cli-local-two']);

    const byEnv = await run('ingest', [folder, '--local'], { PORT: port });
    expect(byEnv.stdout).toContain('3 record(s): 3 unchanged');
    const byUrl = await run('ingest', [join(folder, 'cli-local-one.json'), '--endpoint', `http://127.0.0.1:${port}`]);
    expect(byUrl.stdout).toContain('1 record(s): 1 unchanged');
  });

  it('ingest --local posts docs/examples as they are (a record keeps its own id); each bad field once, as a sentence; exit 1', async () => {
    const { code, stdout } = await run('ingest', ['docs/examples', '--local', '--port', port]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^stored +example-full-story +docs\/examples\/full\.json$/m);
    expect(stdout).toMatch(/^stored +example-minimal-story +docs\/examples\/valid\.json$/m);
    expect(stdout).toMatch(/^error +Example Bad Record! +docs\/examples\/bad\.json$/m);
    const fieldLines = [...stdout.matchAll(/^ {14}([\w.]+): (.+)$/gm)].map((m) => [m[1]!, m[2]!] as const);
    expect(fieldLines.map(([field]) => field)).toEqual(['id', 'title', 'url', 'section', 'authors', 'image.url', 'image.width', 'publishedAt', 'status']);
    expect(fieldLines.find(([field]) => field === 'title')![1]).toBe('must not be empty');
    for (const [, message] of fieldLines) expect(message).not.toMatch(/Too small|expected string|Invalid input/);
    expect(stdout).toContain('3 record(s): 1 error, 2 stored — 1 FAILED');
  });

  it('replay --local and reconcile --local talk to the server on PORT or --port', async () => {
    const replay = await run('replay', ['--local'], { PORT: port });
    expect(replay).toMatchObject({ code: 0, stdout: 'replayed 0 batch(es); 0 still failing\n' });
    const reconcile = await run('reconcile', ['--local', '--port', port]);
    expect(reconcile.code).toBe(0);
    expect(reconcile.stdout).toMatch(/^reconciled \d+ article\(s\) in \d+ batch\(es\)\n$/);
  });

  it('partner add writes where a server started with the same DATA_DIR looks, and says where', async () => {
    const added = await run('partner', ['add', 'acme'], { DATA_DIR: dataDir });
    expect(added.code).toBe(0);
    expect(added.stderr).toContain(join(dataDir, 'partner-keys.json'));
    const key = /^\s{2}(\S{43})$/m.exec(added.stdout)![1]!;
    expect(readFileSync(join(dataDir, 'partner-keys.json'), 'utf8')).toContain('"acme"');
    const logs = captureLogs();
    expect((await p.get('/partners/international/rss.xml', { authorization: `Bearer ${key}` })).status).toBe(200);
    // The partner function's access line names the partner, never the key.
    const line = logs.lines.find((l) => l.entry?.['outcome'] === 'allowed');
    expect(line?.entry).toMatchObject({ partner: 'acme', uri: '/partners/international/rss.xml' });
    expect(line?.text).not.toContain(key);
  });
});
