/**
 * The URL scheme, built here and nowhere else. Every published document's object key (which is
 * also its URL path under the feeds host, without a leading slash) comes from one of these.
 *
 *   feeds/{section}/…            a section's subscription feeds and page
 *   feeds/tags/{tag}/…           a tag feed
 *   feeds/authors/{author}/…     an author feed
 *   {feed}/archive/{format}-{n}.{xml|json}   RFC 5005 archive pages (and JSON Feed pages)
 *   partners/{section}/…         keyed partners only: full-text feeds, ninjs listing, ninjs/{id}.json
 *   feeds/index.html, feeds/index.opml, feeds/feed.xsl, sitemaps/news.xml, robots.txt   site-wide documents
 */
export type FeedFormat = 'rss' | 'atom' | 'json';
export const FEED_FORMAT_NAMES: readonly FeedFormat[] = ['rss', 'atom', 'json'];

/** File name of each subscription format inside a feed's folder. */
export const FEED_FILES: Readonly<Record<FeedFormat, string>> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' };

/** The readable page of a feed, inside its folder. */
export const FEED_PAGE_FILE = 'index.html';

/** What a feed is about: one section, one tag across sections, or one author. */
export type FeedKind = 'section' | 'tag' | 'author';

const FEED_FOLDERS: Readonly<Record<FeedKind, string>> = { section: 'feeds/', tag: 'feeds/tags/', author: 'feeds/authors/' };

/** Everything under this prefix is for keyed partners only (the edge function guards it). */
export const PARTNER_PREFIX = 'partners/';

/** Site-wide documents. */
export const SITE_PATHS = {
  index: 'feeds/index.html',
  opml: 'feeds/index.opml',
  stylesheet: 'feeds/feed.xsl',
  newsSitemap: 'sitemaps/news.xml',
  robots: 'robots.txt',
} as const;

/** `feeds/international`, `feeds/tags/russia`, `feeds/authors/jane-doe`. */
export function feedFolder(kind: FeedKind, slug: string): string {
  return `${FEED_FOLDERS[kind]}${slug}`;
}

/** `{folder}/rss.xml` and friends. */
export function feedFilePath(folder: string, format: FeedFormat): string {
  return `${folder}/${FEED_FILES[format]}`;
}

export function feedPagePath(folder: string): string {
  return `${folder}/${FEED_PAGE_FILE}`;
}

/** `partners/international`: a section's partner folder. */
export function partnerFolder(sectionSlug: string): string {
  return `${PARTNER_PREFIX}${sectionSlug}`;
}

/** `partners/international/ninjs.json`: the section's ninjs listing. */
export function ninjsListingPath(sectionSlug: string): string {
  return `${partnerFolder(sectionSlug)}/ninjs.json`;
}

/** `partners/international/ninjs/{article-id}.json`: one article. */
export function ninjsDocumentPath(sectionSlug: string, articleId: string): string {
  return `${partnerFolder(sectionSlug)}/ninjs/${articleId}.json`;
}

/** `{folder}/archive/atom-3.xml`, `{folder}/archive/json-3.json`. */
export function archivePagePath(folder: string, format: FeedFormat, page: number): string {
  return `${folder}/archive/${format}-${page}.${format === 'json' ? 'json' : 'xml'}`;
}

/** An absolute URL on the feeds host: `https://feeds.example/feeds/international/rss.xml`. */
export function absoluteUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path}`;
}

/** The three subscription URLs of a feed folder. */
export function feedUrls(baseUrl: string, folder: string): Record<FeedFormat, string> {
  const url = (format: FeedFormat) => absoluteUrl(baseUrl, feedFilePath(folder, format));
  return { rss: url('rss'), atom: url('atom'), json: url('json') };
}
