import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** API Gateway's payload limit; larger bodies are refused before the handler sees them. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class PayloadTooLargeError extends Error {}

/**
 * The request's body, at most MAX_BODY_BYTES. Beyond that it rejects with PayloadTooLargeError and
 * reads the rest of the upload to drop it, keeping the connection open: closing a socket whose
 * client is still sending makes the kernel reset it, and a client busy writing can lose the 413
 * with the reset (as leaving a `for await` over the request early did: it destroyed the request).
 * Once the upload has ended the connection serves the next request; the server's requestTimeout
 * bounds a client that never stops.
 */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      req.off('data', onData).off('end', onEnd).resume();
      reject(new PayloadTooLargeError(`body exceeds ${MAX_BODY_BYTES} bytes`));
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('data', onData).once('end', onEnd).once('error', reject);
  });
}

/** A Node request as API Gateway's HTTP API (payload 2.0) would hand it to the ingest Lambda. */
export function toHttpApiEvent(req: IncomingMessage, body: string): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers['host'] ?? 'localhost',
      domainPrefix: 'local',
      http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: `local-${now}-${Math.random().toString(36).slice(2, 10)}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(body && { body }),
    isBase64Encoded: false,
  };
}

export function sendHttpApiResult(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
  res.end(result.body ?? '');
}
