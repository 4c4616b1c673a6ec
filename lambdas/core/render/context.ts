import { modifiedAt } from '../article/corrections.js';
import { withoutXmlInvalid } from '../article/text.js';
import type { Article } from '../article/types.js';
import type { PublisherConfig, SectionConfig } from '../config/index.js';
import { absoluteUrl, feedFilePath, feedFolder, feedPagePath, type FeedFormat } from '../urls.js';

export const GENERATOR = 'section-feed-publisher';
/** Channel date of a feed with no items: fixed, so an empty feed is byte-stable too. */
const EMPTY_FEED_UPDATED = new Date(0);

/** A channel-level link beyond self, home and the feed page: WebSub hubs, archive navigation. */
export interface FeedLink {
  rel: string;
  href: string;
  type?: string;
  /** Only in this format's document (archive links point to pages of the same format). */
  format?: FeedFormat;
}

export interface FeedContextOptions {
  /** Where the documents live, e.g. `feeds/international` (the default) or `feeds/tags/{slug}`. */
  basePath?: string;
  /** Feed id suffix after the authority, e.g. `section/international` (the default). */
  idPath?: string;
  /**
   * Extra channel links, each written by the extension that owns its rel: rel="hub" (WebSub),
   * rel="current" / "prev-archive" / "next-archive" (RFC 5005). A rel="alternate" is ignored: the
   * home link is the site's section page, and the feed's own page goes out as rel="related".
   */
  links?: FeedLink[];
  /** Marks an RFC 5005 archive document (fh:archive). */
  archive?: boolean;
  /** Self URLs when the document is not the subscription feed (archive pages). */
  selfUrl?: Partial<Record<FeedFormat, string>>;
  /** XSLT to reference from RSS and Atom (xml-stylesheet), for browsers that still apply it. */
  stylesheet?: string;
  /** Items to keep; default itemsPerFeed. */
  limit?: number;
  /** Keep the given order (archive pages are oldest first) instead of newest first. */
  keepOrder?: boolean;
  /**
   * The feed's last change that the items no longer show (e.g. a retraction of the newest item):
   * the channel's updated time is never before it, so it does not go backwards.
   */
  updatedFloor?: Date;
}

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
  /** Newest `updatedAt` (or correction, see modifiedAt) of the items, or the `updatedFloor` if later: the same state always renders to the same bytes. */
  updated: Date;
  itemId(article: Article): string;
  basePath: string;
  /** The human page of this feed (`{basePath}/index.html`). */
  pageUrl: string;
  links: FeedLink[];
  archive: boolean;
  stylesheet?: string;
}

/** Newest first by publication, ties by id: the one order every feed uses. */
export function newestFirst(a: Article, b: Article): number {
  return Date.parse(b.publishedAt) - Date.parse(a.publishedAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export function buildFeedContext(
  config: PublisherConfig,
  section: SectionConfig,
  feedBaseUrl: string,
  articles: readonly Article[],
  options: FeedContextOptions = {},
): FeedContext {
  const base = feedBaseUrl.replace(/\/+$/, '');
  const basePath = options.basePath ?? feedFolder('section', section.slug);
  const items = (options.keepOrder ? [...articles] : [...articles].sort(newestFirst)).slice(0, options.limit ?? config.itemsPerFeed).map(withoutXmlInvalid);
  const floor = options.updatedFloor?.getTime() ?? EMPTY_FEED_UPDATED.getTime();
  const newest = items.reduce((max, a) => Math.max(max, Date.parse(modifiedAt(a))), floor);
  const self = (format: FeedFormat) => options.selfUrl?.[format] ?? absoluteUrl(base, feedFilePath(basePath, format));
  return {
    // Text enters the model here, once: characters XML 1.0 forbids are dropped from every string.
    config: withoutXmlInvalid(config),
    section: withoutXmlInvalid(section),
    baseUrl: base,
    articles: items,
    feedId: `tag:${config.itemIdAuthority}:${options.idPath ?? `section/${section.slug}`}`,
    homeUrl: new URL(section.link ?? config.siteUrl).toString(),
    selfUrl: { rss: self('rss'), atom: self('atom'), json: self('json') },
    updated: new Date(newest),
    // The item id derives from the article id alone, so it survives edits and section moves.
    itemId: (article) => `tag:${config.itemIdAuthority}:article/${article.id}`,
    basePath,
    pageUrl: absoluteUrl(base, feedPagePath(basePath)),
    // Only the site's section page is rel="alternate" (the home link): readers take any alternate for the site.
    links: (options.links ?? []).filter((l) => l.rel !== 'alternate'),
    archive: options.archive ?? false,
    ...(options.stylesheet && { stylesheet: options.stylesheet }),
  };
}
