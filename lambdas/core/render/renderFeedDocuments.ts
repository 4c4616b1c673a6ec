import type { Article } from '../article/types.js';
import type { PublisherConfig, SectionConfig } from '../config/index.js';
import type { FeedTarget } from '../feeds/index.js';
import { absoluteUrl, archivePagePath, FEED_FORMAT_NAMES, feedFilePath, feedPagePath, ninjsDocumentPath, ninjsListingPath, partnerFolder, SITE_PATHS, type FeedFormat } from '../urls.js';
import { buildFeedContext, type FeedContext, type FeedContextOptions, type FeedLink } from './context.js';
import { FEED_DOCUMENTS, FEED_PAGE, NINJS_ARTICLE, NINJS_LISTING, partnerDocument } from './formats.js';

export interface RenderedDocument {
  /** Object key and URL path, without a leading slash. */
  path: string;
  contentType: string;
  body: string;
  cacheControl: string;
}

/** Every document of a feed, or its three subscription feeds alone (what readers poll). */
export type DocumentScope = 'all' | 'subscription';

/** One subscription-format document of a context (public, partner or archive). */
export function feedDocument(ctx: FeedContext, format: FeedFormat, path: string, fullText: boolean, cacheControl: string): RenderedDocument {
  const kind = FEED_DOCUMENTS[format];
  return { path, contentType: kind.contentType, body: kind.render(ctx, { fullText }), cacheControl };
}

function publicFeeds(ctx: FeedContext): Record<FeedFormat, RenderedDocument> {
  const doc = (format: FeedFormat) =>
    feedDocument(ctx, format, feedFilePath(ctx.basePath, format), ctx.section.fullTextInPublicFeeds, FEED_DOCUMENTS[format].cacheControl(ctx.config));
  return { rss: doc('rss'), atom: doc('atom'), json: doc('json') };
}

/** A section's three public feeds from its newest published articles. Pure and deterministic. */
export function renderSectionFeeds(config: PublisherConfig, section: SectionConfig, feedBaseUrl: string, articles: readonly Article[]): Record<FeedFormat, RenderedDocument> {
  return publicFeeds(buildFeedContext(config, section, feedBaseUrl, articles));
}

/** The subscription feeds' link to the newest archive page: prev-archive (RFC 5005) in RSS and Atom, next_url in JSON Feed. */
function archiveEntryLinks(baseUrl: string, basePath: string, newestPage: number | undefined): FeedLink[] {
  if (newestPage === undefined) return [];
  const href = (format: FeedFormat) => absoluteUrl(baseUrl, archivePagePath(basePath, format, newestPage));
  return [
    { rel: 'prev-archive', href: href('atom'), format: 'atom' },
    { rel: 'prev-archive', href: href('rss'), format: 'rss' },
    { rel: 'next', href: href('json'), format: 'json' },
  ];
}

/** Links every subscription feed carries: its HTML page, the WebSub hubs, its archives. */
function subscriptionOptions(config: PublisherConfig, baseUrl: string, target: FeedTarget, newestArchivePage?: number, updatedFloorMs?: number): FeedContextOptions {
  const links: FeedLink[] = [
    ...config.websubHubs.map((href) => ({ rel: 'hub', href })),
    ...archiveEntryLinks(baseUrl, target.basePath, newestArchivePage),
  ];
  return {
    basePath: target.basePath,
    idPath: target.key,
    links,
    stylesheet: absoluteUrl(baseUrl, SITE_PATHS.stylesheet),
    ...(updatedFloorMs !== undefined && { updatedFloor: new Date(updatedFloorMs) }),
  };
}

/**
 * The section's three feeds for keyed partners: always full text, whatever
 * `fullTextInPublicFeeds` says, with their own feed ids and self links (same item ids).
 */
function partnerFeeds(ctx: FeedContext): RenderedDocument[] {
  const { slug } = ctx.section;
  const folder = partnerFolder(slug);
  const partnerCtx = buildFeedContext(ctx.config, ctx.section, ctx.baseUrl, ctx.articles, { basePath: folder, idPath: `partner-section/${slug}` });
  return FEED_FORMAT_NAMES.map((format) => feedDocument(partnerCtx, format, feedFilePath(folder, format), true, partnerDocument(ctx.config)));
}

/** The ninjs listing and one ninjs document per article of the section's feed. */
function ninjsDocuments(ctx: FeedContext): RenderedDocument[] {
  const { slug } = ctx.section;
  const listing = { path: ninjsListingPath(slug), contentType: NINJS_LISTING.contentType, body: NINJS_LISTING.render(ctx), cacheControl: NINJS_LISTING.cacheControl(ctx.config) };
  return [
    listing,
    ...ctx.articles.map((article) => ({
      path: ninjsDocumentPath(slug, article.id),
      contentType: NINJS_ARTICLE.contentType,
      body: NINJS_ARTICLE.render(ctx, article),
      cacheControl: NINJS_ARTICLE.cacheControl(ctx.config),
    })),
  ];
}

/**
 * Every document of a feed for its newest published articles, exactly as a regeneration writes
 * them (archive pages apart): the subscription feeds, the feed's page, and for sections the
 * partner feeds and ninjs documents. Pure and deterministic. The channel is the target's for these
 * items (an automatic feed is named as its newest item writes the tag or author).
 */
export function renderFeedDocuments(
  config: PublisherConfig,
  target: FeedTarget,
  feedBaseUrl: string,
  articles: readonly Article[],
  newestArchivePage?: number,
  /** The feed's newest change (its state's newestChangeMs): its updated time never goes below it. */
  updatedFloorMs?: number,
  scope: DocumentScope = 'all',
): RenderedDocument[] {
  const base = feedBaseUrl.replace(/\/+$/, '');
  const ctx = buildFeedContext(config, target.channelFor(articles), base, articles, subscriptionOptions(config, base, target, newestArchivePage, updatedFloorMs));
  if (scope === 'subscription') return Object.values(publicFeeds(ctx));
  const page = { path: feedPagePath(target.basePath), contentType: FEED_PAGE.contentType, body: FEED_PAGE.render(ctx), cacheControl: FEED_PAGE.cacheControl(config) };
  return [...Object.values(publicFeeds(ctx)), page, ...(target.partnerDocuments ? [...partnerFeeds(ctx), ...ninjsDocuments(ctx)] : [])];
}
