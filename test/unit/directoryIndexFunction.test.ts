import { describe, expect, it } from 'vitest';
import { viewerRequestEvent } from '../helpers/factories.js';
import { DIRECTORY_INDEX_SOURCE } from '../../lib/constructs/feedDistribution.js';
import { InMemoryKeyValueStore, isEdgeResponse, loadCloudFrontFunction, type ViewerRequest } from '../../local/cloudFrontFunction.js';

const viewerRequest = (uri: string, query: Record<string, string> = {}) =>
  viewerRequestEvent({ uri, query, headers: { 'accept-encoding': 'br, gzip' } });

describe('directory-index CloudFront Function (lambdas/edge/directoryIndex.js, run as CloudFront would)', () => {
  // It uses no KeyValueStore; the loader insists on one, so it gets an empty store.
  const fn = loadCloudFrontFunction(DIRECTORY_INDEX_SOURCE, { kvs: new InMemoryKeyValueStore(new Map()) });
  const run = async (uri: string, query?: Record<string, string>) => fn.handler(viewerRequest(uri, query));

  it.each([
    ['/feeds/', '/feeds/index.html'],
    ['/feeds/international/', '/feeds/international/index.html'],
    ['/feeds/tags/russia-ukraine-conflict/', '/feeds/tags/russia-ukraine-conflict/index.html'],
    ['/', '/index.html'],
  ])('rewrites %s to %s and passes the request on otherwise untouched', async (uri, rewritten) => {
    const event = viewerRequest(uri, { utm_source: 'x' });
    const result = await fn.handler(event);
    expect(isEdgeResponse(result)).toBe(false);
    expect(result).toEqual({ ...event.request, uri: rewritten });
  });

  it.each(['/feeds/international/rss.xml', '/feeds/international/atom.xml', '/feeds/international/feed.json', '/feeds/index.html', '/feeds/feed.xsl', '/feeds/index.opml', '/feeds/international/archive/atom-0.xml'])(
    'leaves a file URI alone: %s',
    async (uri) => {
      const event = viewerRequest(uri);
      expect(await fn.handler(event)).toEqual(event.request);
    },
  );

  it.each([
    ['/feeds', '/feeds/'],
    ['/feeds/international', '/feeds/international/'],
    ['/feeds/tags/russia-ukraine-conflict', '/feeds/tags/russia-ukraine-conflict/'],
  ])('redirects the extension-less %s to %s (301, query dropped)', async (uri, location) => {
    const result = await run(uri, { ref: 'newsletter' });
    expect(isEdgeResponse(result)).toBe(true);
    expect(result).toMatchObject({ statusCode: 301, headers: { location: { value: location } } });
    // The redirect target is then rewritten to the page.
    expect(((await run(location)) as ViewerRequest).uri).toBe(`${location}index.html`);
  });

  it.each([
    '/feeds/%2e%2e%2fpartners%2finternational%2fninjs.json',
    '/feeds/international/..%2f..%2fpartners/international/atom.xml',
    '/feeds/international/../../partners/international/atom.xml',
    '/feeds/%2e%2e/partners/international/rss.xml',
    '/feeds/./international/rss.xml',
    '/feeds/%',
    '/feeds/%E0%A4%A',
    '/feeds/international%5c..%5cpartners/atom.xml',
    '/feeds/international/rss.xml%00',
    '//evil.example/x',
    '/\\evil.example/x',
  ])('refuses %s with 400 before it reaches the cache or the bucket', async (uri) => {
    const result = await run(uri);
    expect(result).toMatchObject({ statusCode: 400, headers: { 'cache-control': { value: 'no-store' } } });
    expect((result as { headers: Record<string, unknown> }).headers['location']).toBeUndefined();
  });

  it('never redirects off site: every Location is a path on this host', async () => {
    const uris = ['//evil.example/x', '/\\evil.example/x', '/feeds', '/feeds/international', '/%2fevil.example', '/feeds/international/rss.xml', '/x/y'];
    for (const uri of uris) {
      for (const accept of [undefined, 'text/html']) {
        const result = await fn.handler(viewerRequestEvent({ uri, headers: accept ? { accept } : {} }));
        const location = isEdgeResponse(result) ? result.headers?.['location']?.value : undefined;
        if (location !== undefined) expect(location).toMatch(/^\/(?![/\\])/);
      }
    }
  });

  const CHROMIUM = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
  const FIREFOX = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

  it.each([
    ['/feeds/international/rss.xml', CHROMIUM],
    ['/feeds/international/atom.xml', FIREFOX],
    ['/feeds/international/feed.json', CHROMIUM],
    ['/feeds/tags/russia-ukraine-conflict/rss.xml', 'text/html'],
  ])('sends a browser opening %s to the feed page (302 to index.html next to it)', async (uri, accept) => {
    const result = await fn.handler(viewerRequestEvent({ uri, headers: { accept } }));
    expect(result).toMatchObject({ statusCode: 302, headers: { location: { value: uri.replace(/[^/]+$/, 'index.html') }, 'cache-control': { value: 'no-store' } } });
  });

  it.each([
    ['python feedparser', 'application/atom+xml,application/rdf+xml,application/rss+xml,application/x-netcdf,application/xml;q=0.9,text/xml;q=0.2,*/*;q=0.1'],
    ['a feed type first', 'application/rss+xml, application/xml;q=0.9, */*;q=0.8'],
    ['anything', '*/*'],
    ['html only as good as a feed', 'text/html, application/rss+xml'],
    ['html below the feed', 'application/atom+xml, text/html;q=0.5'],
    ['no Accept', undefined],
  ])('gives a feed reader (%s) the feed itself', async (_name, accept) => {
    const event = viewerRequestEvent({ uri: '/feeds/international/rss.xml', headers: accept === undefined ? {} : { accept } });
    expect(await fn.handler(event)).toEqual(event.request);
  });

  it('leaves pages and archive documents alone for browsers too', async () => {
    for (const uri of ['/feeds/international/index.html', '/feeds/international/archive/atom-0.xml', '/feeds/index.opml']) {
      const event = viewerRequestEvent({ uri, headers: { accept: CHROMIUM } });
      expect(await fn.handler(event)).toEqual(event.request);
    }
  });
});
