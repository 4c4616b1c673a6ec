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
});
