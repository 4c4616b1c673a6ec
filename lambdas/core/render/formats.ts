import type { Article } from '../article/types.js';
import type { PublisherConfig } from '../config/index.js';
import { FEED_FILES, FEED_PAGE_FILE, SITE_PATHS, type FeedFormat } from '../urls.js';
import { renderAtom } from './atom.js';
import type { FeedContext } from './context.js';
import { renderFeedIndex, renderFeedPage, type FeedListing } from './html.js';
import { renderJsonFeed } from './jsonFeed.js';
import { renderNewsSitemap } from './newsSitemap.js';
import { articleToNinjs, ninjsListing } from './ninjs.js';
import { renderOpml } from './opml.js';
import { renderRobotsTxt } from './robotsTxt.js';
import { renderRss } from './rss.js';
import { FEED_XSLT } from './xslt.js';
import { cacheControlFor } from '../publish/cachePolicy.js';

/**
 * The format registry: every kind of document the publisher writes, declared once with its file
 * name (or path), content type, cache policy and renderer. Rendering, the site lists (index page,
 * OPML), the local server's URL list and the stack's outputs read it; new kinds join it here.
 */

/** Cache-Control for a document, from the configuration. */
export type CachePolicy = (config: PublisherConfig) => string;

/** Documents that change with the articles: readers keep max-age, CloudFront a few seconds (see publish/cachePolicy.ts). */
export const currentDocument: CachePolicy = (config) => cacheControlFor('subscriptionFeed', config);

/**
 * Partner documents may be cached by CloudFront (the key is checked before the cache, and its
 * partner cache policy keeps them regardless of `private`) but by no shared cache after it.
 */
export const partnerDocument: CachePolicy = (config) => cacheControlFor('partnerDocument', config);

/** Documents that no longer grow (full archive pages): they change only when one of their items is edited or retracted. */
export const settledDocument: CachePolicy = (config) => cacheControlFor('fullArchivePage', config);

/** The stylesheet changes only with a deploy. */
const stylesheetDocument: CachePolicy = (config) => cacheControlFor('stylesheet', config);

/** Site-wide documents (index page, OPML, sitemap). */
const siteDocument: CachePolicy = (config) => cacheControlFor('siteDocument', config);

interface DocumentKind {
  contentType: string;
  cacheControl: CachePolicy;
}

/** A subscription format: also what partner feeds and archive pages are written in. */
interface FeedDocumentKind extends DocumentKind {
  file: string;
  render(ctx: FeedContext, options: { fullText: boolean }): string;
}

export const FEED_DOCUMENTS: Readonly<Record<FeedFormat, FeedDocumentKind>> = {
  rss: { file: FEED_FILES.rss, contentType: 'application/rss+xml; charset=utf-8', cacheControl: currentDocument, render: renderRss },
  atom: { file: FEED_FILES.atom, contentType: 'application/atom+xml; charset=utf-8', cacheControl: currentDocument, render: renderAtom },
  json: { file: FEED_FILES.json, contentType: 'application/feed+json; charset=utf-8', cacheControl: currentDocument, render: renderJsonFeed },
};

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Documents per feed beyond the subscription formats. */
export const FEED_PAGE = { file: FEED_PAGE_FILE, contentType: 'text/html; charset=utf-8', cacheControl: currentDocument, render: (ctx: FeedContext) => renderFeedPage(ctx) } as const;

/** Partner documents of a section: the ninjs listing and one ninjs document per article. */
export const NINJS_LISTING = { contentType: 'application/json; charset=utf-8', cacheControl: partnerDocument, render: (ctx: FeedContext) => json(ninjsListing(ctx)) } as const;
export const NINJS_ARTICLE = {
  contentType: 'application/json; charset=utf-8',
  cacheControl: partnerDocument,
  render: (ctx: FeedContext, article: Article) => json(articleToNinjs(article, ctx)),
} as const;

/** A site-wide document: rendered from the list of feeds. */
interface SiteDocumentKind extends DocumentKind {
  path: string;
  render(config: PublisherConfig, baseUrl: string, feeds: readonly FeedListing[]): string;
}

/** Site-wide documents rendered from the list of feeds, in the order they are written. */
export const SITE_DOCUMENTS: readonly SiteDocumentKind[] = [
  { path: SITE_PATHS.index, contentType: 'text/html; charset=utf-8', cacheControl: siteDocument, render: (config, base, feeds) => renderFeedIndex(config, base, [...feeds]) },
  { path: SITE_PATHS.opml, contentType: 'text/x-opml; charset=utf-8', cacheControl: siteDocument, render: (config, base, feeds) => renderOpml(config, base, feeds) },
  { path: SITE_PATHS.stylesheet, contentType: 'text/xsl; charset=utf-8', cacheControl: stylesheetDocument, render: () => FEED_XSLT },
  { path: SITE_PATHS.robots, contentType: 'text/plain; charset=utf-8', cacheControl: siteDocument, render: (_config, base) => renderRobotsTxt(base) },
];

/**
 * The Google News sitemap: site-wide, but rendered from the newest published articles of every
 * section (not from the list of feeds), so it is published with the feeds (publish/newsSitemap.ts).
 */
export const NEWS_SITEMAP = {
  path: SITE_PATHS.newsSitemap,
  contentType: 'application/xml; charset=utf-8',
  cacheControl: currentDocument,
  render: (config: PublisherConfig, articles: readonly Article[]) => renderNewsSitemap(config, articles),
} as const;
