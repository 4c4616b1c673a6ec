import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import fresh from 'fresh';
import Negotiator from 'negotiator';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Types CloudFront compresses (it skips bodies under 1,000 bytes). */
const COMPRESSIBLE = /^(application\/(rss|atom|feed)\+(xml|json)|application\/(json|xml)|text\/)/;
const MIN_COMPRESS_BYTES = 1000;

/** br over gzip when the client accepts both equally, as CloudFront does (negotiator 1.x; its types predate `preferred`). */
function chooseEncoding(req: IncomingMessage): string {
  const negotiator = new Negotiator(req) as unknown as { encoding(available: string[], options: { preferred: string[] }): string | undefined };
  return negotiator.encoding(['br', 'gzip', 'identity'], { preferred: ['br', 'gzip', 'identity'] }) ?? 'identity';
}

/**
 * Serves an S3 object the way CloudFront in front of the bucket does: Content-Type, Cache-Control,
 * ETag and Last-Modified from the object, 304 on If-None-Match / If-Modified-Since, and br or gzip
 * compression when the client accepts it.
 */
/**
 * s3rver rewrites an object's file in place: a GET that overlaps a PUT of the same key can stall on
 * a short body (seen: 6 s, then a 500) or come back torn. Each attempt's limit: a local read takes milliseconds, so a stalled one is dropped
 * fast; later ones allow a loaded machine.
 */
const READ_TIMEOUTS_MS = [250, 1_000, 2_000, 5_000];
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One whole object: a read that stalls or comes back shorter than its Content-Length (s3rver, unlike
 * S3, is not atomic) or does not match its ETag is abandoned and read again, so a reader never waits on
 * it nor gets a torn document.
 */
async function readWholeObject(s3: S3Client, bucket: string, key: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: AbortSignal.timeout(READ_TIMEOUTS_MS[attempt - 1]!) });
      const body = Buffer.from(await object.Body!.transformToByteArray());
      if (object.ContentLength !== undefined && body.length !== object.ContentLength) throw new Error(`short read of ${key}: ${body.length} of ${object.ContentLength} bytes`);
      // A single-part ETag is the body's MD5: a body caught mid-rewrite (even an empty one) does not match it.
      // (Mid-rewrite, s3rver answers an empty ETag.)
      const md5 = /^"([0-9a-f]{32})"$/.exec(object.ETag ?? '')?.[1];
      if (!object.ETag || object.ETag === '""' || (md5 && createHash('md5').update(body).digest('hex') !== md5)) throw new Error(`torn read of ${key}: the body does not match its ETag`);
      return { object, body };
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404 || attempt >= READ_TIMEOUTS_MS.length) throw err;
      await pause(10 * 4 ** attempt); // the rewrite takes a moment to finish
    }
  }
}

export async function serveObject(req: IncomingMessage, res: ServerResponse, s3: S3Client, bucket: string, key: string): Promise<void> {
  let read;
  try {
    read = await readWholeObject(s3, bucket, key);
  } catch (err) {
    if (err instanceof NoSuchKey || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('Not found\n');
      return;
    }
    throw err;
  }
  const { object, body } = read;
  const contentType = object.ContentType ?? 'application/octet-stream';
  const encoding = COMPRESSIBLE.test(contentType) && body.length >= MIN_COMPRESS_BYTES ? chooseEncoding(req) : 'identity';
  // A compressed body is a different representation: its validator is the object's ETag, made weak.
  const etag = object.ETag && encoding !== 'identity' ? `W/${object.ETag}` : object.ETag;
  const headers: Record<string, string> = {
    'content-type': contentType,
    'cache-control': object.CacheControl ?? 'no-cache',
    vary: 'Accept-Encoding',
    ...(etag && { etag }),
    ...(object.LastModified && { 'last-modified': object.LastModified.toUTCString() }),
  };
  if (fresh(req.headers, { etag: headers['etag'], 'last-modified': headers['last-modified'] })) {
    res.writeHead(304, headers).end();
    return;
  }
  const payload =
    encoding === 'br'
      ? await brotli(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } })
      : encoding === 'gzip'
        ? await gz(body)
        : body;
  if (encoding !== 'identity') headers['content-encoding'] = encoding;
  headers['content-length'] = String(payload.length);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : payload);
}
