import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { MAX_RECORDS_PER_REQUEST } from '../core/contracts/index.js';
import { ARTICLE_ID } from '../core/article/index.js';
import { ingestArticles, retractArticle, type IngestDeps } from '../core/ingest/index.js';
import { describeError, log } from './log.js';
import { ingestDepsFromEnv } from './ingestRuntime.js';
import { lazy } from './lazy.js';

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

function readBody(event: APIGatewayProxyEventV2): unknown {
  const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : (event.body ?? '');
  return JSON.parse(raw);
}

/** HTTP adapter for ingest: `POST /articles` (one record or an array) and `DELETE /articles/{id}`. */
export function createIngestHandler(deps: () => IngestDeps) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const method = event.requestContext.http.method.toUpperCase();
    const path = event.rawPath.replace(/\/+$/, '');
    try {
      if (path === '/articles') {
        if (method !== 'POST') return json(405, { error: 'method not allowed; POST records to /articles' });
        return await post(event, deps());
      }
      const match = /^\/articles\/([^/]+)$/.exec(path);
      if (match) {
        if (method !== 'DELETE') return json(405, { error: 'method not allowed; DELETE /articles/{id} retracts' });
        const id = decodeURIComponent(match[1]!);
        if (!ARTICLE_ID.test(id)) return json(400, { error: 'invalid', errors: [{ field: 'id', message: 'must be an article id slug' }] });
        const outcome = await retractArticle(id, deps());
        log('info', 'retract', { id, outcome });
        return outcome === 'not-found' ? json(404, { id, error: 'not found' }) : json(200, { id, status: outcome });
      }
      return json(404, { error: 'not found' });
    } catch (error) {
      log('error', 'ingest failed', { error: describeError(error), method, path });
      return json(500, { error: 'internal error; the request may be retried' });
    }
  };
}

async function post(event: APIGatewayProxyEventV2, deps: IngestDeps): Promise<APIGatewayProxyStructuredResultV2> {
  let body: unknown;
  try {
    body = readBody(event);
  } catch {
    return json(400, { error: 'invalid', errors: [{ field: '(body)', message: 'must be JSON: one article record or an array of them' }] });
  }
  const records = Array.isArray(body) ? body : [body];
  if (records.length === 0) return json(400, { error: 'invalid', errors: [{ field: '(body)', message: 'must hold at least one record' }] });
  if (records.length > MAX_RECORDS_PER_REQUEST) {
    return json(413, { error: 'too many records', errors: [{ field: '(body)', message: `must hold at most ${MAX_RECORDS_PER_REQUEST} records` }] });
  }
  const results = await ingestArticles(records, deps);
  const counts = results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
  log('info', 'ingest', { records: records.length, ...counts });
  const nothingValid = results.every((r) => r.status === 'error' && r.error === 'invalid');
  return json(nothingValid ? 400 : 200, { results });
}

export const handler = createIngestHandler(lazy(() => ingestDepsFromEnv()));
