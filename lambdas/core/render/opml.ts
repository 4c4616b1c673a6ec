import type { PublisherConfig } from '../config/index.js';
import { absoluteUrl, feedPagePath, feedUrls } from '../urls.js';
import { stripXmlInvalid } from '../article/text.js';
import type { FeedListing } from './html.js';
import { escapeXmlAttribute, escapeXmlText } from './xml.js';

const text = (s: string) => escapeXmlText(stripXmlInvalid(s));

const GROUPS = [
  { kind: 'section', text: 'Sections' },
  { kind: 'tag', text: 'Topics' },
  { kind: 'author', text: 'Authors' },
] as const;

/**
 * OPML 2.0 subscription list: one outline per feed (its RSS document), so a reader imports every
 * feed in one step without subscribing to the same stories three times; grouped by kind in
 * labelled outlines (sections, topics, authors), which readers import as folders.
 */
export function renderOpml(config: PublisherConfig, baseUrl: string, feeds: readonly FeedListing[]): string {
  const a = (s: string) => escapeXmlAttribute(stripXmlInvalid(s));
  const outline = (f: FeedListing) => {
    const urls = feedUrls(baseUrl, f.basePath);
    return `      <outline type="rss" version="RSS2" text="${a(f.title)}" title="${a(f.title)}" description="${a(f.description)}" xmlUrl="${a(urls.rss)}" htmlUrl="${a(absoluteUrl(baseUrl, feedPagePath(f.basePath)))}" language="${a(config.language)}"/>`;
  };
  const outlines = GROUPS.map((g) => ({ ...g, feeds: feeds.filter((f) => f.kind === g.kind) }))
    .filter((g) => g.feeds.length > 0)
    .map((g) => `    <outline text="${g.text}" title="${g.text}">\n${g.feeds.map(outline).join('\n')}\n    </outline>`)
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
  <head>
    <title>${text(config.siteTitle)}: feeds</title>
    <ownerName>${text(config.siteTitle)}</ownerName>
    <docs>http://opml.org/spec2.opml</docs>
  </head>
  <body>
${outlines}
  </body>
</opml>
`;
}
