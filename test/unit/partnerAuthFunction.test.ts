import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyValueEntry, generatePartnerKey, partnerKeyDigest } from '../../operator/partnerKeys.js';
import { viewerRequestEvent } from '../helpers/factories.js';
import { InMemoryKeyValueStore, isEdgeResponse, loadCloudFrontFunction, PARTNER_AUTH_FUNCTION, type EdgeResponse, type ViewerRequest } from '../../local/cloudFrontFunction.js';

const ACME_KEY = generatePartnerKey();
const REVOKED_KEY = generatePartnerKey();

/** The deployed function's file, with a store holding ACME's key (REVOKED_KEY was deleted from it). */
function loadWith(keys: Record<string, string>) {
  const entries = new Map(Object.entries(keys).map(([partner, key]) => keyValueEntry({ partner, sha256: partnerKeyDigest(key) })).map((e) => [e.key, e.value]));
  const logs: string[] = [];
  const fn = loadCloudFrontFunction(PARTNER_AUTH_FUNCTION, { kvs: new InMemoryKeyValueStore(entries), log: (line) => logs.push(line) });
  return { ...fn, logs };
}

/** A partner's viewer request (the `format` parameter stands for any other query a partner sends). */
const viewerRequest = (options: { authorization?: string; query?: Record<string, string | string[]> } = {}) =>
  viewerRequestEvent({
    uri: '/partners/international/atom.xml',
    query: { format: 'full', ...options.query },
    headers: options.authorization ? { authorization: options.authorization } : {},
    requestId: 'req-123',
  });

describe('partner CloudFront Function (lambdas/edge/partnerAuth.js, run as CloudFront would)', () => {
  const fn = loadWith({ acme: ACME_KEY });

  it('accepts a valid key as a Bearer token and forwards the request without it', async () => {
    const result = await fn.handler(viewerRequest({ authorization: `Bearer ${ACME_KEY}` }));
    expect(isEdgeResponse(result)).toBe(false);
    const request = result as ViewerRequest;
    expect(request.uri).toBe('/partners/international/atom.xml');
    expect(request.headers['authorization']).toBeUndefined();
    expect(request.querystring).toEqual({ format: { value: 'full' } });
  });

  it('accepts a valid ?key= and strips it from the query string', async () => {
    const result = (await fn.handler(viewerRequest({ query: { key: ACME_KEY } }))) as ViewerRequest;
    expect(result.querystring['key']).toBeUndefined();
    expect(result.querystring['format']).toEqual({ value: 'full' });
  });

  it('logs the partner name, the request id and the path, never the key or its digest', async () => {
    const { handler, logs } = loadWith({ acme: ACME_KEY });
    await handler(viewerRequest({ query: { key: ACME_KEY } }));
    await handler(viewerRequest({ authorization: 'Bearer wrong-key-wrong-key-wrong-key-wrong-key' }));
    expect(logs.map((l) => JSON.parse(l))).toEqual([
      { outcome: 'allowed', partner: 'acme', requestId: 'req-123', uri: '/partners/international/atom.xml' },
      { outcome: 'refused', partner: null, requestId: 'req-123', uri: '/partners/international/atom.xml' },
    ]);
    const all = logs.join('\n');
    expect(all).not.toContain(ACME_KEY);
    expect(all).not.toContain(partnerKeyDigest(ACME_KEY).slice(0, 16));
  });

  it('answers a missing key with 401 and a Bearer challenge, and no body', async () => {
    for (const event of [viewerRequest(), viewerRequest({ authorization: 'Basic dXNlcjpwYXNz' }), viewerRequest({ query: { key: '' } })]) {
      const result = (await fn.handler(event)) as EdgeResponse;
      expect(result).toEqual({
        statusCode: 401,
        statusDescription: 'Unauthorized',
        headers: { 'cache-control': { value: 'no-store' }, 'www-authenticate': { value: 'Bearer realm="partners"' } },
      });
    }
  });

  it('answers a wrong key with 403 and no body', async () => {
    const attempts = [
      `Bearer ${generatePartnerKey()}`,
      `Bearer ${ACME_KEY.slice(0, -1)}${ACME_KEY.endsWith('A') ? 'B' : 'A'}`,
      `Bearer ${ACME_KEY}${ACME_KEY}`,
      'Bearer short',
    ];
    for (const authorization of attempts) {
      const result = (await fn.handler(viewerRequest({ authorization }))) as EdgeResponse;
      expect(result).toEqual({ statusCode: 403, statusDescription: 'Forbidden', headers: { 'cache-control': { value: 'no-store' } } });
    }
    expect(((await fn.handler(viewerRequest({ query: { key: [ACME_KEY, ACME_KEY] } }))) as EdgeResponse).statusCode).toBe(401);
  });

  it('refuses a revoked key (no longer in the store) with 403, while other partners keep access', async () => {
    const before = loadWith({ acme: ACME_KEY, gone: REVOKED_KEY });
    expect(isEdgeResponse(await before.handler(viewerRequest({ authorization: `Bearer ${REVOKED_KEY}` })))).toBe(false);
    const after = loadWith({ acme: ACME_KEY });
    expect(((await after.handler(viewerRequest({ authorization: `Bearer ${REVOKED_KEY}` }))) as EdgeResponse).statusCode).toBe(403);
    expect(isEdgeResponse(await after.handler(viewerRequest({ authorization: `Bearer ${ACME_KEY}` })))).toBe(false);
  });

  it('refuses a key whose index entry exists but whose full digest differs (the store only finds candidates)', async () => {
    const digest = partnerKeyDigest(ACME_KEY);
    const forged = `${digest.slice(0, 32)}${'0'.repeat(32)}`;
    const entries = new Map([[digest.slice(0, 32), JSON.stringify({ partner: 'acme', sha256: forged })]]);
    const { handler } = loadCloudFrontFunction(PARTNER_AUTH_FUNCTION, { kvs: new InMemoryKeyValueStore(entries), log: () => {} });
    expect(((await handler(viewerRequest({ authorization: `Bearer ${ACME_KEY}` }))) as EdgeResponse).statusCode).toBe(403);
  });

  it('compares in constant time: every character of both full-length digests is examined, wherever they differ', () => {
    const compare = fn.globals['constantTimeEqual'] as (a: unknown, b: unknown) => boolean;
    const digest = createHash('sha256').update('x').digest('hex');
    /** A string stand-in that counts which positions the comparison reads. */
    const watched = (value: string) => {
      const read = new Set<number>();
      return { read, text: { length: value.length, charCodeAt: (i: number) => (read.add(i), value.charCodeAt(i)) } };
    };
    const flip = (s: string, i: number) => `${s.slice(0, i)}${s[i] === '0' ? '1' : '0'}${s.slice(i + 1)}`;
    for (const other of [digest, flip(digest, 0), flip(digest, 31), flip(digest, 63), '0'.repeat(64)]) {
      const a = watched(digest);
      const b = watched(other);
      expect(compare(a.text, b.text)).toBe(other === digest);
      expect(a.read.size).toBe(64);
      expect(b.read.size).toBe(64);
    }
    expect(compare(digest, digest.slice(0, 63))).toBe(false);
  });

  it.each([
    '/partners/%2e%2e%2ffeeds%2finternational%2fatom.xml',
    '/partners/international/..%2f..%2ffeeds/international/atom.xml',
    '/partners/international/../../feeds/international/atom.xml',
    '/partners/international/%2e%2e/x.xml',
    '/partners/%',
    '/partners/%E0%A4%A',
    '/partners/a%5cb.xml',
    '/partners/a%00.xml',
  ])('refuses the unsafe URI %s with 400, even with a valid key, before looking at the key', async (uri) => {
    const event = viewerRequest({ authorization: `Bearer ${ACME_KEY}` });
    event.request.uri = uri;
    const result = await fn.handler(event);
    expect(result).toMatchObject({ statusCode: 400 });
    expect(JSON.parse(fn.logs.at(-1)!)).toMatchObject({ outcome: 'bad-uri', partner: null });
  });

  it('is plain CloudFront Functions JavaScript: one cloudfront import, no exports, only the crypto module', () => {
    const source = readFileSync(PARTNER_AUTH_FUNCTION, 'utf8');
    expect(source.match(/^\s*import\s.*$/gm)).toEqual(["import cf from 'cloudfront';"]);
    expect(source).not.toMatch(/^\s*export\s/m);
    expect([...source.matchAll(/require\(([^)]*)\)/g)].map((m) => m[1])).toEqual(["'crypto'"]);
    // The loader enforces the same rules, so a file that breaks them cannot pass the tests above.
    const dir = mkdtempSync(join(tmpdir(), 'cf-function-'));
    const kvs = new InMemoryKeyValueStore(new Map());
    for (const [name, text] of [
      ['export.js', `${source}\nexport { handler };\n`],
      ['import.js', `import fs from 'fs';\n${source}`],
    ] as const) {
      writeFileSync(join(dir, name), text);
      expect(() => loadCloudFrontFunction(join(dir, name), { kvs })).toThrow(/must not export|only "import cf/);
    }
    writeFileSync(join(dir, 'require.js'), source.replace("require('crypto')", "require('fs')"));
    expect(() => loadCloudFrontFunction(join(dir, 'require.js'), { kvs })).toThrow(/not available in CloudFront Functions/);
    rmSync(dir, { recursive: true, force: true });
  });
});
