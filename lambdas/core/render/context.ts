import type { Article } from '../article/index.js';
import type { PublisherConfig, SectionConfig } from '../config/index.js';
import { sectionFeedPath, type FeedFormat } from './formats.js';

export const GENERATOR = 'section-feed-publisher';
/** Channel date of a feed with no items: fixed, so an empty feed is byte-stable too. */
const EMPTY_FEED_UPDATED = new Date(0);

/** Everything a renderer needs, derived once per section regeneration. */
export interface FeedContext {
  config: PublisherConfig;
  section: SectionConfig;
  /** Public origin of the feeds, without a trailing slash. */
  baseUrl: string;
  /** Newest first, at most `itemsPerFeed`. */
  articles: Article[];
  feedId: string;
  homeUrl: string;
  selfUrl: Record<FeedFormat, string>;
  /** Newest `updatedAt` of the items: the same state always renders to the same bytes. */
  updated: Date;
  itemId(article: Article): string;
}

export function buildFeedContext(config: PublisherConfig, section: SectionConfig, feedBaseUrl: string, articles: readonly Article[]): FeedContext {
  const base = feedBaseUrl.replace(/\/+$/, '');
  const items = [...articles]
    .sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .slice(0, config.itemsPerFeed);
  const newest = items.reduce((max, a) => Math.max(max, Date.parse(a.updatedAt)), EMPTY_FEED_UPDATED.getTime());
  const self = (format: FeedFormat) => `${base}/${sectionFeedPath(section.slug, format)}`;
  return {
    config,
    section,
    baseUrl: base,
    articles: items,
    feedId: `tag:${config.itemIdAuthority}:section/${section.slug}`,
    homeUrl: new URL(section.link ?? config.siteUrl).toString(),
    selfUrl: { rss: self('rss'), atom: self('atom'), json: self('json') },
    updated: new Date(newest),
    // The item id derives from the article id alone, so it survives edits and section moves.
    itemId: (article) => `tag:${config.itemIdAuthority}:article/${article.id}`,
  };
}
