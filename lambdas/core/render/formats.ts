export type FeedFormat = 'rss' | 'atom' | 'json';

export const FEED_FORMATS: Record<FeedFormat, { file: string; contentType: string }> = {
  rss: { file: 'rss.xml', contentType: 'application/rss+xml; charset=utf-8' },
  atom: { file: 'atom.xml', contentType: 'application/atom+xml; charset=utf-8' },
  json: { file: 'feed.json', contentType: 'application/feed+json; charset=utf-8' },
};

export const FORMAT_NAMES = Object.keys(FEED_FORMATS) as FeedFormat[];

/** Object key / URL path of a section feed, without a leading slash: `feeds/international/rss.xml`. */
export function sectionFeedPath(sectionSlug: string, format: FeedFormat): string {
  return `feeds/${sectionSlug}/${FEED_FORMATS[format].file}`;
}
