import * as nodeCrypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createContext, runInContext } from 'node:vm';
import type { CloudFrontFunctionsEvent } from 'aws-lambda';

/** The CloudFront Function that guards `/partners/*`, deployed by the stack and run here as-is. */
export const PARTNER_AUTH_FUNCTION = new URL('../lambdas/edge/partnerAuth.js', import.meta.url);
/** The directory-index function of the distribution's other behaviours (URI guard, index pages, browsers' feed pages). */
export const DIRECTORY_INDEX_FUNCTION = new URL('../lambdas/edge/directoryIndex.js', import.meta.url);

/** The only import a CloudFront Function may have: the runtime's KeyValueStore helper module. */
const CLOUDFRONT_IMPORT = /^import cf from 'cloudfront';\s*$/m;

export type ViewerRequest = CloudFrontFunctionsEvent['request'];
/** What a viewer-request function returns instead of the request: a response generated at the edge. */
export interface EdgeResponse {
  statusCode: number;
  statusDescription?: string;
  headers?: Record<string, { value: string }>;
  body?: string | { data: string; encoding?: string };
}
export type ViewerRequestResult = ViewerRequest | EdgeResponse;

export const isEdgeResponse = (result: ViewerRequestResult): result is EdgeResponse => 'statusCode' in result;

/** Writes a response the function generated, as CloudFront returns it (status and headers; these functions send no body). */
export function sendEdgeResponse(res: ServerResponse, result: EdgeResponse): void {
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, { value }]) => [name, value]));
  res.writeHead(result.statusCode, result.statusDescription ?? '', headers).end();
}

/**
 * In-memory stand-in for the runtime's KeyValueStore handle (`cf.kvs()`): the same `get` /
 * `exists` contract (get rejects when the key is absent; formats string | json | bytes).
 */
export class InMemoryKeyValueStore {
  constructor(private readonly entries: ReadonlyMap<string, string>) {}

  async get(key: string, options: { format?: 'string' | 'json' | 'bytes' } = {}): Promise<unknown> {
    const value = this.entries.get(key);
    if (value === undefined) throw new Error(`Key ${key} not found`);
    if (options.format === 'json') return JSON.parse(value) as unknown;
    if (options.format === 'bytes') return Buffer.from(value, 'utf8');
    return value;
  }

  async exists(key: string): Promise<boolean> {
    return this.entries.has(key);
  }
}

export interface LoadedCloudFrontFunction {
  handler(event: CloudFrontFunctionsEvent): Promise<ViewerRequestResult>;
  /** The function's top-level declarations, for tests that examine a helper (e.g. its comparison). */
  globals: Record<string, unknown>;
}

/**
 * Evaluates a CloudFront Function's source in a fresh V8 context with what the runtime provides:
 * the `cloudfront` module (here, a KeyValueStore stand-in), `require('crypto')`, Buffer, console.
 * The source must be valid for the runtime: one `import cf from 'cloudfront'`, no exports.
 */
export function loadCloudFrontFunction(
  file: URL | string,
  options: { kvs: InMemoryKeyValueStore; log?: (line: string) => void },
): LoadedCloudFrontFunction {
  const source = readFileSync(file, 'utf8');
  if (/^\s*export\s/m.test(source)) throw new Error(`${String(file)}: CloudFront Functions must not export anything`);
  const imports = source.match(/^\s*import\s.*$/gm) ?? [];
  if (imports.some((line) => !CLOUDFRONT_IMPORT.test(line))) throw new Error(`${String(file)}: only "import cf from 'cloudfront'" is available`);
  const log = options.log ?? ((line: string) => console.log(line));
  const sandbox: Record<string, unknown> = {
    cf: { kvs: () => options.kvs },
    require: (name: string) => {
      if (name === 'crypto') return nodeCrypto;
      throw new Error(`Module "${name}" is not available in CloudFront Functions`);
    },
    Buffer,
    console: { log: (...args: unknown[]) => log(args.map(String).join(' ')) },
  };
  const context = createContext(sandbox);
  runInContext(source.replace(CLOUDFRONT_IMPORT, ''), context, { filename: String(file) });
  const handler = sandbox['handler'];
  if (typeof handler !== 'function') throw new Error(`${String(file)}: no handler function`);
  return { handler: (event) => (handler as (e: CloudFrontFunctionsEvent) => Promise<ViewerRequestResult>)(event), globals: sandbox };
}

let requestCounter = 0;

/** A CloudFront Functions viewer-request event for a Node request, as CloudFront would build it. */
export function viewerRequestEvent(req: IncomingMessage, distributionDomainName: string): CloudFrontFunctionsEvent {
  const url = new URL(req.url ?? '/', 'http://local');
  // The path as the viewer sent it: URL parsing would already resolve `%2e%2e` segments.
  const uri = (req.url ?? '/').split('?')[0] || '/';
  const querystring: ViewerRequest['querystring'] = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    querystring[name.toLowerCase()] = { value: values[0]!, ...(values.length > 1 && { multiValue: values.map((value) => ({ value })) }) };
  }
  const headers: ViewerRequest['headers'] = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'cookie') continue;
    const values = Array.isArray(value) ? value : [value];
    headers[name] = { value: values[0]!, ...(values.length > 1 && { multiValue: values.map((v) => ({ value: v })) }) };
  }
  return {
    version: '1.0',
    context: { distributionDomainName, distributionId: 'LOCAL', eventType: 'viewer-request', requestId: `local-${process.pid}-${++requestCounter}` },
    viewer: { ip: req.socket.remoteAddress ?? '127.0.0.1' },
    request: { method: req.method ?? 'GET', uri, querystring, headers, cookies: {} },
  } as unknown as CloudFrontFunctionsEvent;
}
