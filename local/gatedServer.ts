import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isApiPath, sendJsonError } from './jsonErrors.js';

/** Seconds a client is told to wait while the publisher starts (or its table restarts). */
const RETRY_AFTER_SECONDS = 1;

/**
 * The local server's HTTP listener, answering from the first moment it listens: `503` with
 * `Retry-After` (a JSON error on API routes) until the publisher is ready, then the publisher's
 * handler; `suspend()` goes back to 503 (DynamoDB Local restarting). A request never hangs and
 * never sees a half-started publisher (a 404 or an empty feed).
 */
export interface GatedServer {
  readonly url: string;
  ready(handler: RequestListener): void;
  suspend(reason: string): void;
  close(): Promise<void>;
}

export async function openGatedServer(port: number): Promise<GatedServer> {
  let handler: RequestListener | undefined;
  let reason = 'the publisher is starting: ingesting content/ and publishing every feed';
  const unavailable = (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const headers = { 'retry-after': String(RETRY_AFTER_SECONDS), 'cache-control': 'no-store' };
    if (isApiPath(req.url ?? '/')) return sendJsonError(res, 503, 'unavailable', '(server)', `${reason}; retry in a moment`, headers);
    res.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end(`Service unavailable: ${reason}; retry in a moment.\n`);
  };
  const server = createServer((req, res) => (handler ?? unavailable)(req, res));
  const bound = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  return {
    url: `http://127.0.0.1:${bound}`,
    ready(next) {
      handler = next;
    },
    suspend(why) {
      reason = why;
      handler = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
