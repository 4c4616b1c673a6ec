import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ReconcileReport } from '../operator/reconcileArchives.js';
import { replayDeadLetters } from '../operator/replayDeadLetters.js';
import { DIRECTORY_INDEX_FUNCTION, InMemoryKeyValueStore, isEdgeResponse, loadCloudFrontFunction, sendEdgeResponse, viewerRequestEvent } from './cloudFrontFunction.js';
import type { DeadLetterLog } from './deadLetters.js';
import { serveObject } from './feedServer.js';
import { PayloadTooLargeError, readBody, sendHttpApiResult, toHttpApiEvent } from './httpApiEvent.js';
import { isApiPath, sendJsonError } from './jsonErrors.js';
import type { StreamHandler } from './streamPoller.js';

export interface LocalRoutesDeps {
  s3: S3Client;
  bucket: string;
  streams: DynamoDBStreamsClient;
  ingest: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
  /** Resolves true once the stream is drained (the change is in the feeds), false on time-out. */
  settled: () => Promise<boolean>;
  deadLetters: DeadLetterLog;
  regenerate: StreamHandler;
  servePartnerObject: (req: IncomingMessage, res: ServerResponse, s3: S3Client, bucket: string) => Promise<void>;
  /** `POST /archives/reconcile` (`npm run reconcile -- --local`). */
  reconcile: () => Promise<ReconcileReport>;
}

const isJson = (contentType: string | undefined) => /^application\/json\s*(;|$)/i.test(contentType ?? '');

/**
 * The local server's routes: the ingest API (as API Gateway hands it to the ingest Lambda), the
 * dead-letter API, `/partners/*` behind the partner function, and every other path the way the
 * distribution's default behaviour serves the bucket, through the deployed directory-index function.
 */
export function createLocalRoutes(deps: LocalRoutesDeps) {
  const directoryIndex = loadCloudFrontFunction(DIRECTORY_INDEX_FUNCTION, { kvs: new InMemoryKeyValueStore(new Map()) });
  const unsafeUri = directoryIndex.globals['unsafeUri'] as (uri: string) => boolean;

  async function api(req: IncomingMessage, res: ServerResponse, path: string, method: string): Promise<void> {
    if (path === '/dead-letters' && method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(JSON.stringify({ letters: deps.deadLetters.letters }));
    }
    if (path === '/dead-letters/replay' && method === 'POST') {
      const report = await replayDeadLetters(deps.deadLetters, deps.regenerate, deps.streams);
      res.writeHead(report.stillFailing.length ? 409 : 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(JSON.stringify(report));
    }
    if (path === '/archives/reconcile' && method === 'POST') {
      const report = await deps.reconcile();
      res.writeHead(report.failed.length ? 409 : 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(JSON.stringify(report));
    }
    if (!path.startsWith('/articles')) return sendJsonError(res, 404, 'not found', '(path)', 'GET /dead-letters, POST /dead-letters/replay or POST /archives/reconcile');
    let body = '';
    if (method === 'POST') {
      if (!isJson(req.headers['content-type'])) {
        req.resume();
        return sendJsonError(res, 415, 'unsupported media type', '(content-type)', 'must be application/json');
      }
      try {
        body = await readBody(req);
      } catch (err) {
        if (err instanceof PayloadTooLargeError) return sendJsonError(res, 413, 'payload too large', '(body)', err.message);
        throw err;
      }
    }
    const result = await deps.ingest(toHttpApiEvent(req, body));
    // The change is in the feeds when the response returns: wait for the stream to be drained.
    if ((result.statusCode ?? 500) < 300 && !(await deps.settled())) {
      result.headers = { ...result.headers, warning: '199 - "stored; feeds not yet regenerated"' };
    }
    return sendHttpApiResult(res, result);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] || '/';
    const method = req.method ?? 'GET';
    if (isApiPath(path)) {
      if (unsafeUri(path)) return sendJsonError(res, 400, 'invalid', '(path)', 'must not hold dot-segments, encoded slashes or backslashes, NUL or malformed percent-encoding');
      return api(req, res, path, method);
    }
    if (method !== 'GET' && method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
    if (path === '/') return void res.writeHead(302, { location: '/feeds/index.html', 'cache-control': 'no-cache' }).end();
    if (path.startsWith('/partners/')) return deps.servePartnerObject(req, res, deps.s3, deps.bucket);
    const result = await directoryIndex.handler(viewerRequestEvent(req, req.headers.host ?? 'localhost'));
    if (isEdgeResponse(result)) return sendEdgeResponse(res, result);
    return serveObject(req, res, deps.s3, deps.bucket, decodeURIComponent(result.uri.slice(1)));
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      console.error(JSON.stringify({ level: 'error', message: 'request failed', error: String(err) }));
      if (res.headersSent) return void res.end();
      if (isApiPath(req.url ?? '/')) return sendJsonError(res, 500, 'internal error', '(server)', 'the request may be retried');
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Internal error\n');
    });
  };
}
