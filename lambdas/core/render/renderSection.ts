import type { Article } from '../article/index.js';
import type { PublisherConfig, SectionConfig } from '../config/index.js';
import { renderAtom } from './atom.js';
import { buildFeedContext } from './context.js';
import { FEED_FORMATS, sectionFeedPath, type FeedFormat } from './formats.js';
import { renderJsonFeed } from './jsonFeed.js';
import { renderRss } from './rss.js';

export interface RenderedDocument {
  /** Object key and URL path, without a leading slash. */
  path: string;
  contentType: string;
  body: string;
}

/** A section's three public feeds from its newest published articles. Pure and deterministic. */
export function renderSectionFeeds(
  config: PublisherConfig,
  section: SectionConfig,
  feedBaseUrl: string,
  articles: readonly Article[],
): Record<FeedFormat, RenderedDocument> {
  const ctx = buildFeedContext(config, section, feedBaseUrl, articles);
  const options = { fullText: section.fullTextInPublicFeeds };
  const doc = (format: FeedFormat, body: string): RenderedDocument => ({
    path: sectionFeedPath(section.slug, format),
    contentType: FEED_FORMATS[format].contentType,
    body,
  });
  return {
    rss: doc('rss', renderRss(ctx, options)),
    atom: doc('atom', renderAtom(ctx, options)),
    json: doc('json', renderJsonFeed(ctx, options)),
  };
}
