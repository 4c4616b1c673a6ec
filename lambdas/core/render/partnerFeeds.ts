import { cacheControlFor } from '../publish/cachePolicy.js';
import { renderAtom } from './atom.js';
import { buildFeedContext, type FeedContext } from './context.js';
import { FEED_FORMATS, FORMAT_NAMES, type FeedFormat } from './formats.js';
import { renderJsonFeed } from './jsonFeed.js';
import type { RenderedDocument } from './renderSection.js';
import { renderRss } from './rss.js';

/** Everything under this prefix is for keyed partners only (the edge function guards it). */
export const PARTNER_PREFIX = 'partners/';

/** Object key / URL path of a section's partner feed: `partners/international/atom.xml`. */
export function partnerFeedPath(sectionSlug: string, format: FeedFormat): string {
  return `${PARTNER_PREFIX}${sectionSlug}/${FEED_FORMATS[format].file}`;
}

/**
 * Partner documents may be cached by CloudFront (the key is checked before the cache, and its
 * partner cache policy keeps them regardless of `private`) but by no shared cache after it.
 */
export function partnerCacheControl(maxAgeSeconds: number): string {
  return cacheControlFor('partnerDocument', { feedMaxAgeSeconds: maxAgeSeconds });
}

const RENDERERS: Record<FeedFormat, typeof renderRss> = { rss: renderRss, atom: renderAtom, json: renderJsonFeed };

/**
 * The section's three feeds for keyed partners: always full text, whatever
 * `fullTextInPublicFeeds` says, with their own feed ids and self links (same item ids).
 */
export function renderPartnerFeeds(ctx: FeedContext): RenderedDocument[] {
  const { slug } = ctx.section;
  const partnerCtx = buildFeedContext(ctx.config, ctx.section, ctx.baseUrl, ctx.articles, {
    basePath: `${PARTNER_PREFIX}${slug}`,
    idPath: `partner-section/${slug}`,
  });
  return FORMAT_NAMES.map((format) => ({
    path: partnerFeedPath(slug, format),
    contentType: FEED_FORMATS[format].contentType,
    body: RENDERERS[format](partnerCtx, { fullText: true }),
    cacheControl: partnerCacheControl(ctx.config.feedMaxAgeSeconds),
  }));
}
