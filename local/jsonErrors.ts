import type { ServerResponse } from 'node:http';

/** Routes answered in JSON (the ingest API, the dead-letter and reconcile APIs); the rest serves documents. */
export function isApiPath(rawUrl: string): boolean {
  const path = rawUrl.split('?')[0] ?? '/';
  return path === '/articles' || path.startsWith('/articles/') || path === '/dead-letters' || path.startsWith('/dead-letters/') || path === '/archives/reconcile';
}

/** Every rejection on an API route, in the ingest handler's shape: `{error, errors: [{field, message}]}`. */
export function sendJsonError(res: ServerResponse, status: number, error: string, field: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify({ error, errors: [{ field, message }] }));
}
