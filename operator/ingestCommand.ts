import { relative } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { FieldError } from '../lambdas/core/article/index.js';
import { MAX_RECORDS_PER_REQUEST } from '../lambdas/core/contracts/index.js';
import { findContentFiles, loadContentFiles, type LoadedFile } from './contentFiles.js';
import { HelpRequested, runCli, UsageError, parseCommandArgs } from './cli.js';
import { regionFromEndpoint, signedFetch, unsignedFetch, type SignedFetch } from './signedFetch.js';

export const USAGE = `Usage: npm run ingest -- <files or folders...> (--endpoint <url> | --local [--port <n>]) [--region <region>] [--batch-size <n>]

Posts content files (.md with YAML front matter, or .json records) to POST {endpoint}/articles and
prints one line per record; exits 1 if any failed.

  --endpoint     a deployed stack's output IngestEndpoint, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com
                 (SigV4-signed with credentials from the standard AWS chain: AWS_PROFILE, environment, SSO, role...);
                 or a local server, http://127.0.0.1:<port> or http://localhost:<port> (sent unsigned, unless --region is given)
  --local        the running \`npm start\` on this machine: http://127.0.0.1:$PORT (default 3000), unsigned
  --port         the local server's port (with --local; default $PORT, else 3000)
  --region       region of the API (default: from the endpoint host, else AWS_REGION)
  --batch-size   records per request, 1..${MAX_RECORDS_PER_REQUEST} (default 100)`;

export interface IngestOptions {
  paths: string[];
  endpoint: URL;
  /** Undefined for a local server: nothing is signed. */
  region?: string;
  batchSize: number;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function parseIngestArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): IngestOptions {
  const parsed = parseCommandArgs(argv, {
    endpoint: { type: 'string' },
    local: { type: 'boolean' },
    port: { type: 'string' },
    region: { type: 'string' },
    'batch-size': { type: 'string' },
  });
  const { values, positionals } = parsed;
  if (values.help) throw new HelpRequested();
  if (positionals.length === 0) throw new UsageError('no files or folders given');
  if (values.local && values.endpoint) throw new UsageError('--local and --endpoint exclude each other');
  if (values.port !== undefined && !values.local) throw new UsageError('--port goes with --local');
  let endpoint: URL;
  if (values.local) {
    const port = values.port ?? env['PORT'] ?? '3000';
    if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw new UsageError(`--port: "${port}" is not a port number`);
    endpoint = new URL(`http://127.0.0.1:${port}`);
  } else {
    if (!values.endpoint) throw new UsageError('--endpoint <url> or --local is required');
    try {
      endpoint = new URL(values.endpoint.replace(/\/+$/, ''));
    } catch {
      throw new UsageError(`--endpoint: "${values.endpoint}" is not a URL`);
    }
  }
  const local = endpoint.protocol === 'http:' && LOCAL_HOSTS.has(endpoint.hostname);
  if (!local && endpoint.protocol !== 'https:') throw new UsageError(`--endpoint: "${endpoint.href}" must be https:// (or http://127.0.0.1 for the local server)`);
  // A local endpoint is sent unsigned unless --region asks for signing (an IAM-checking local stand-in).
  const region = local ? values.region : (values.region ?? regionFromEndpoint(endpoint) ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION']);
  if (!local && !region) throw new UsageError('--region is required (it cannot be read from the endpoint host, and AWS_REGION is not set)');
  const batchSize = values['batch-size'] === undefined ? 100 : Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_RECORDS_PER_REQUEST) {
    throw new UsageError(`--batch-size: must be an integer from 1 to ${MAX_RECORDS_PER_REQUEST}`);
  }
  return { paths: positionals, endpoint, ...(region && { region }), batchSize };
}

export interface RecordReport {
  file: string;
  id?: string;
  status: string;
  /** For `scheduled`: when the article goes out (ISO 8601 UTC). */
  publishAt?: string;
  errors?: FieldError[];
}

export interface IngestReport {
  records: RecordReport[];
  counts: Record<string, number>;
  failed: number;
}

/** Progress shown while importing (a bar on a TTY); the test passes none. */
export interface Progress {
  start(total: number): void;
  advance(by: number): void;
  stop(): void;
}

export const noProgress: Progress = { start() {}, advance() {}, stop() {} };

/**
 * Progress on stderr when there is more than one batch: a cli-progress bar on a terminal, else a
 * line at most every `intervalMs` (and at the end), for logs and CI.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr, minimum = 2, intervalMs = 2_000): Progress {
  let bar: SingleBar | undefined;
  let total = 0;
  let done = 0;
  let lastLine = 0;
  let startedAt = 0;
  const line = () => {
    const seconds = (Date.now() - startedAt) / 1000;
    stream.write(`ingest: ${done}/${total} records (${Math.round((100 * done) / total)}%, ${seconds.toFixed(1)} s)\n`);
    lastLine = Date.now();
  };
  return {
    start(count) {
      total = count;
      startedAt = lastLine = Date.now();
      if (count < minimum) return;
      if (stream.isTTY) {
        bar = new SingleBar({ stream, format: 'ingest [{bar}] {value}/{total} records | {eta_formatted} left', etaBuffer: 50, hideCursor: true });
        bar.start(count, 0);
      } else line();
    },
    advance(by) {
      done += by;
      if (bar) bar.increment(by);
      else if (total >= minimum && (Date.now() - lastLine >= intervalMs || done === total)) line();
    },
    stop: () => bar?.stop(),
  };
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Posting the same batch again is safe: the same version of a record is a no-op. */
async function postWithRetry(send: SignedFetch, url: URL, body: string, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await send('POST', url, body);
      if (!RETRYABLE.has(response.status) || attempt >= attempts) return response;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
    await sleep(200 * 2 ** attempt);
  }
}

function describeBody(body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; Message?: unknown; error?: unknown };
    return String(b.message ?? b.Message ?? b.error ?? JSON.stringify(body));
  }
  return String(body).slice(0, 300);
}

/** Reads, batches, signs and posts the files; one report line per file. */
export async function runIngest(
  options: IngestOptions,
  deps: { send?: SignedFetch; progress?: Progress } = {},
): Promise<IngestReport> {
  const send = deps.send ?? (options.region ? signedFetch({ region: options.region }) : unsignedFetch);
  const progress = deps.progress ?? noProgress;
  const loaded = await loadContentFiles(await findContentFiles(options.paths));
  const reports = new Map<LoadedFile, RecordReport>();
  for (const f of loaded) if (!f.ok) reports.set(f, { file: f.file, id: f.id, status: 'error', errors: f.errors });
  const sendable = loaded.filter((f): f is Extract<LoadedFile, { ok: true }> => f.ok);
  const url = new URL(`${options.endpoint.pathname.replace(/\/+$/, '')}/articles`, options.endpoint);

  progress.start(sendable.length);
  try {
    for (let start = 0; start < sendable.length; start += options.batchSize) {
      const batch = sendable.slice(start, start + options.batchSize);
      let response: Awaited<ReturnType<SignedFetch>> | undefined;
      let failure: string | undefined;
      try {
        response = await postWithRetry(send, url, JSON.stringify(batch.map((f) => f.record)));
      } catch (error) {
        failure = `request failed: ${error instanceof Error ? error.message : String(error)}`;
      }
      const results = (response?.body as { results?: { index: number; id?: string; status: string; publishAt?: string; errors?: FieldError[] }[] } | undefined)?.results;
      if (response && (response.status === 200 || response.status === 400) && Array.isArray(results)) {
        for (const result of results) {
          const f = batch[result.index];
          if (f) reports.set(f, { file: f.file, id: result.id ?? f.id, status: result.status, ...(result.publishAt && { publishAt: result.publishAt }), ...(result.errors && { errors: result.errors }) });
        }
      }
      for (const f of batch) {
        if (!reports.has(f)) {
          const message = failure ?? `HTTP ${response?.status}: ${describeBody(response?.body)}`;
          reports.set(f, { file: f.file, id: f.id, status: 'error', errors: [{ field: '(request)', message }] });
        }
      }
      progress.advance(batch.length);
    }
  } finally {
    progress.stop();
  }

  const records = loaded.map((f) => reports.get(f)!);
  const counts = records.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
  return { records, counts, failed: records.filter((r) => r.status === 'error').length };
}

/** The per-record report, one line each, then the totals. */
export function formatReport(report: IngestReport, cwd = process.cwd()): string {
  const lines = report.records.map((r) => {
    const head = `${r.status.padEnd(13)} ${(r.id ?? '-').padEnd(40)} ${relative(cwd, r.file)}${r.publishAt ? ` (goes out at ${r.publishAt})` : ''}`;
    return r.errors?.length ? `${head}\n${r.errors.map((e) => `              ${e.field}: ${e.message}`).join('\n')}` : head;
  });
  const totals = Object.entries(report.counts)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  return `${lines.join('\n')}\n\n${report.records.length} record(s): ${totals || 'none'}${report.failed ? ` — ${report.failed} FAILED` : ''}\n`;
}

/** The whole command; returns the exit code (0 done, 1 a record failed or the command did, 2 bad usage). */
export function main(argv: readonly string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream } = process): Promise<number> {
  return runCli(
    'ingest',
    USAGE,
    async () => {
      const options = parseIngestArgs(argv);
      io.stderr.write(`ingest: posting to ${options.endpoint.origin}${options.region ? ` (SigV4, ${options.region})` : ' (local server, unsigned)'}\n`);
      const report = await runIngest(options, { progress: terminalProgress(io.stderr) });
      io.stdout.write(formatReport(report));
      return report.failed > 0 ? 1 : 0;
    },
    io,
  );
}
