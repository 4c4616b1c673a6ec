import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PayloadTooLargeError, readBody } from '../../local/httpApiEvent.js';
import { sendJsonError } from '../../local/jsonErrors.js';
import { postRaw } from '../helpers/http.js';


/** The local server's request bodies: what it reads, and how it refuses one too large (the 413 must reach a client still sending). */
describe('local server request bodies', () => {
  const refused: { requestDestroyed: boolean }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    readBody(req).then(
      (body) => res.end(String(body.length)),
      (err: unknown) => {
        if (!(err instanceof PayloadTooLargeError)) throw err;
        refused.push({ requestDestroyed: req.destroyed });
        sendJsonError(res, 413, 'payload too large', '(body)', err.message);
      },
    );
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/articles`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('reads a body up to the limit whole', async () => {
    expect(await postRaw(url, 'application/json', 3 * 1024 * 1024)).toEqual({ status: 200, body: String(3 * 1024 * 1024) });
  });

  it('refuses a larger one with 413 without destroying the request first, so the answer is written before the connection closes', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => postRaw(url, 'application/json', 11 * 1024 * 1024)));
    for (const a of answers) expect(JSON.parse(a.body)).toMatchObject({ error: 'payload too large', errors: [{ field: '(body)' }] });
    expect(answers.map((a) => a.status)).toEqual([413, 413, 413, 413, 413]);
    expect(refused).toEqual(Array.from({ length: 5 }, () => ({ requestDestroyed: false })));
  });
});
