import { get, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleRecord } from '../helpers/factories.js';
import { localClients } from '../helpers/localAws.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function raw(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = (method === 'GET' ? get : httpRequest)(url, { headers, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (method !== 'GET') req.end();
  });
}

/** The local server answers feed requests the way CloudFront in front of the bucket would. */
describe('feed serving', () => {
  let p: TestPublisher;
  beforeAll(async () => {
    p = await startTestPublisher();
    await p.post(articleRecord({ id: 'served' }));
  });
  afterAll(async () => {
    await p?.close();
  });

  it.each([
    ['rss.xml', 'application/rss+xml; charset=utf-8'],
    ['atom.xml', 'application/atom+xml; charset=utf-8'],
    ['feed.json', 'application/feed+json; charset=utf-8'],
  ])('serves %s with its content type, caching headers and validators', async (file, contentType) => {
    const res = await raw(`${p.url}/feeds/international/${file}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(contentType);
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+/);
    expect(res.headers['etag']).toMatch(/^"[0-9a-f]{32}"$/);
    expect(Date.parse(res.headers['last-modified']!)).toBeGreaterThan(0);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString('utf8')).toContain('served');
  });

  it('answers 304 to If-None-Match and If-Modified-Since, with a stable ETag for identical bytes', async () => {
    const url = `${p.url}/feeds/international/atom.xml`;
    const first = await raw(url);
    const again = await raw(url);
    expect(again.headers['etag']).toBe(first.headers['etag']);
    expect((await raw(url, { 'if-none-match': first.headers['etag']! })).status).toBe(304);
    expect((await raw(url, { 'if-modified-since': first.headers['last-modified']! })).status).toBe(304);
    expect((await raw(url, { 'if-none-match': '"something-else"' })).status).toBe(200);
  });

  it('compresses with brotli or gzip as the client prefers, and revalidates compressed copies', async () => {
    const url = `${p.url}/feeds/international/rss.xml`;
    const plain = await raw(url);
    const br = await raw(url, { 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    const gz = await raw(url, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(br.headers['vary']).toBe('Accept-Encoding');
    expect((await raw(url, { 'accept-encoding': 'br', 'if-none-match': br.headers['etag']! })).status).toBe(304);
  });

  it('changes the ETag when the feed changes', async () => {
    const url = `${p.url}/feeds/international/feed.json`;
    const before = await raw(url);
    await p.post(articleRecord({ id: 'another' }));
    const after = await raw(url, { 'if-none-match': before.headers['etag']! });
    expect(after.status).toBe(200);
    expect(after.headers['etag']).not.toBe(before.headers['etag']);
  });

  it('answers HEAD, 404 for unknown feeds and 405 for writes to feeds', async () => {
    const head = await raw(`${p.url}/feeds/international/rss.xml`, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect((await raw(`${p.url}/feeds/nowhere/rss.xml`)).status).toBe(404);
    expect((await raw(`${p.url}/feeds/international/rss.xml`, {}, 'PUT')).status).toBe(405);
  });

  it('a read that overlaps a rewrite of the same document gets a whole version, never a 500 or a stall (s3rver writes in place)', async () => {
    const key = 'feeds/international/overlap.json';
    const versions = ['a', 'b', 'c', 'd'].map((c) => JSON.stringify({ fill: c.repeat(400_000) }));
    const { s3 } = localClients();
    const put = (body: string) => s3.send(new PutObjectCommand({ Bucket: p.bucket, Key: key, Body: body, ContentType: 'application/json' }));
    await put(versions[0]!);
    for (let round = 0; round < 12; round++) {
      const [, ...reads] = await Promise.all([put(versions[(round + 1) % versions.length]!), ...Array.from({ length: 3 }, () => raw(`${p.url}/${key}`, { 'accept-encoding': 'identity' }))]);
      for (const read of reads) {
        expect(read.status).toBe(200);
        const text = read.body.toString('utf8');
        expect(versions).toContain(text);
      }
    }
  }, 120_000);
});
