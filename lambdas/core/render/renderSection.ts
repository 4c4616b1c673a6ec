import type { Article } from '../article/index.js';
import type { PublisherConfig, SectionConfig } from '../config/index.js';
import { renderAtom } from './atom.js';
import { buildFeedContext, type FeedContext } from './context.js';
import { FEED_FORMATS, sectionFeedPath, type FeedFormat } from './formats.js';
import { renderJsonFeed } from './jsonFeed.js';
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
    path: sectionFeedPath(ctx.section.slug, format),
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

/** Everything published per section, in order; new kinds of document join this list. */
export const SECTION_RENDERERS: readonly SectionRenderer[] = [(ctx) => Object.values(publicFeeds(ctx))];

/** All documents of a section from its newest published articles: what one regeneration writes. */
export function renderSectionDocuments(config: PublisherConfig, section: SectionConfig, feedBaseUrl: string, articles: readonly Article[]): RenderedDocument[] {
  const ctx = buildFeedContext(config, section, feedBaseUrl, articles);
  return SECTION_RENDERERS.flatMap((render) => render(ctx));
}
