import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import type { FieldError } from '../lambdas/core/article/index.js';
import { MAX_RECORDS_PER_REQUEST } from '../lambdas/core/contracts/index.js';
import { findContentFiles, loadContentFiles, type LoadedFile } from './contentFiles.js';
import { regionFromEndpoint, signedFetch, type SignedFetch } from './signedFetch.js';

export const USAGE = `Usage: npm run ingest -- <files or folders...> --endpoint <url> [--region <region>] [--batch-size <n>]

Posts content files (.md with YAML front matter, or .json records) to a deployed stack's
POST {endpoint}/articles, SigV4-signed with credentials from the standard AWS chain
(AWS_PROFILE, environment, SSO, instance role...). Prints one line per record; exits 1 if any failed.

  --endpoint     the stack output IngestEndpoint, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com
  --region       region of the API (default: from the endpoint host, else AWS_REGION)
  --batch-size   records per request, 1..${MAX_RECORDS_PER_REQUEST} (default 100)`;

export interface IngestOptions {
  paths: string[];
  endpoint: URL;
  region: string;
  batchSize: number;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseIngestArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): IngestOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { endpoint: { type: 'string' }, region: { type: 'string' }, 'batch-size': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) throw new UsageError(USAGE);
  if (positionals.length === 0) throw new UsageError(`No files or folders given.\n\n${USAGE}`);
  if (!values.endpoint) throw new UsageError(`--endpoint is required.\n\n${USAGE}`);
  let endpoint: URL;
  try {
    endpoint = new URL(values.endpoint.replace(/\/+$/, ''));
  } catch {
    throw new UsageError(`--endpoint: "${values.endpoint}" is not a URL`);
  }
  const region = values.region ?? regionFromEndpoint(endpoint) ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
  if (!region) throw new UsageError('--region is required (it cannot be read from the endpoint host, and AWS_REGION is not set)');
  const batchSize = values['batch-size'] === undefined ? 100 : Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_RECORDS_PER_REQUEST) {
    throw new UsageError(`--batch-size: must be an integer from 1 to ${MAX_RECORDS_PER_REQUEST}`);
  }
  return { paths: positionals, endpoint, region, batchSize };
}

export interface RecordReport {
  file: string;
  id?: string;
  status: string;
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

/** A cli-progress bar on stderr, only when stderr is a terminal and there is more than one batch. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr, minimum = 2): Progress {
  let bar: SingleBar | undefined;
  return {
    start(total) {
      if (!stream.isTTY || total < minimum) return;
      bar = new SingleBar({ stream, format: 'ingest [{bar}] {value}/{total} records | {eta_buffer}s left', etaBuffer: 50, hideCursor: true });
      bar.start(total, 0);
    },
    advance: (by) => bar?.increment(by),
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
  const send = deps.send ?? signedFetch({ region: options.region });
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
      const results = (response?.body as { results?: { index: number; id?: string; status: string; errors?: FieldError[] }[] } | undefined)?.results;
      if (response && (response.status === 200 || response.status === 400) && Array.isArray(results)) {
        for (const result of results) {
          const f = batch[result.index];
          if (f) reports.set(f, { file: f.file, id: result.id ?? f.id, status: result.status, ...(result.errors && { errors: result.errors }) });
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
    const head = `${r.status.padEnd(13)} ${(r.id ?? '-').padEnd(40)} ${relative(cwd, r.file)}`;
    return r.errors?.length ? `${head}\n${r.errors.map((e) => `              ${e.field}: ${e.message}`).join('\n')}` : head;
  });
  const totals = Object.entries(report.counts)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  return `${lines.join('\n')}\n\n${report.records.length} record(s): ${totals || 'none'}${report.failed ? ` — ${report.failed} FAILED` : ''}\n`;
}

/** The whole command; returns the exit code. */
export async function main(argv: readonly string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream } = process): Promise<number> {
  let options: IngestOptions;
  try {
    options = parseIngestArgs(argv);
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  try {
    const report = await runIngest(options, { progress: terminalProgress(io.stderr) });
    io.stdout.write(formatReport(report));
    return report.failed > 0 ? 1 : 0;
  } catch (error) {
    io.stderr.write(`ingest failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
