import type { Article } from '../article/index.js';
import type { PublisherConfig, SectionConfig } from '../config/index.js';
import { renderAtom } from './atom.js';
import { buildFeedContext, type FeedContext, type FeedContextOptions } from './context.js';
import { renderFeedPage } from './html.js';
import { FEED_FORMATS, type FeedFormat } from './formats.js';
import { renderJsonFeed } from './jsonFeed.js';
import { renderNinjsDocuments } from './ninjs.js';
import { renderPartnerFeeds } from './partnerFeeds.js';
import { renderRss } from './rss.js';

export interface RenderedDocument {
  /** Object key and URL path, without a leading slash. */
  path: string;
  contentType: string;
  body: string;
  /** Overrides the publisher's default Cache-Control for this document. */
  cacheControl?: string;
}

/** Renders some of a section's documents from its context. */
export type SectionRenderer = (ctx: FeedContext) => RenderedDocument[];

function publicFeeds(ctx: FeedContext): Record<FeedFormat, RenderedDocument> {
  const options = { fullText: ctx.section.fullTextInPublicFeeds };
  const doc = (format: FeedFormat, body: string): RenderedDocument => ({
    path: `${ctx.basePath}/${FEED_FORMATS[format].file}`,
    contentType: FEED_FORMATS[format].contentType,
    body,
  });
  return {
    rss: doc('rss', renderRss(ctx, options)),
    atom: doc('atom', renderAtom(ctx, options)),
    json: doc('json', renderJsonFeed(ctx, options)),
  };
}

/** A section's three public feeds from its newest published articles. Pure and deterministic. */
export function renderSectionFeeds(
  config: PublisherConfig,
  section: SectionConfig,
  feedBaseUrl: string,
  articles: readonly Article[],
): Record<FeedFormat, RenderedDocument> {
  return publicFeeds(buildFeedContext(config, section, feedBaseUrl, articles));
}

/** The human page of a feed, `{basePath}/index.html`. */
const feedPage: SectionRenderer = (ctx) => [{ path: `${ctx.basePath}/index.html`, contentType: 'text/html; charset=utf-8', body: renderFeedPage(ctx) }];

const publicFeedDocuments: SectionRenderer = (ctx) => Object.values(publicFeeds(ctx));

/** Everything published per section, in order; new kinds of document join this list. */
export const SECTION_RENDERERS: readonly SectionRenderer[] = [publicFeedDocuments, feedPage, renderPartnerFeeds, renderNinjsDocuments];

/** A tag feed has the public documents only (partners pull sections). */
export const TAG_RENDERERS: readonly SectionRenderer[] = [publicFeedDocuments, feedPage];

/** All documents of a feed from its newest published articles: what one regeneration writes. */
export function renderSectionDocuments(
  config: PublisherConfig,
  section: SectionConfig,
  feedBaseUrl: string,
  articles: readonly Article[],
  options: FeedContextOptions = {},
  renderers: readonly SectionRenderer[] = SECTION_RENDERERS,
): RenderedDocument[] {
  const ctx = buildFeedContext(config, section, feedBaseUrl, articles, options);
  return renderers.flatMap((render) => render(ctx));
}
