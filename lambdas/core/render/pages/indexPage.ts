import { escapeHtml } from '../../article/text.js';
import type { PublisherConfig } from '../../config/index.js';
import { attr, page } from './layout.js';
import { autodiscoveryLinks, formatLinks } from './subscribe.js';
import { feedUrls, type FeedKind } from '../../urls.js';

export interface FeedListing {
  kind: FeedKind;
  title: string;
  description: string;
  basePath: string;
}


const GROUPS: { kind: FeedKind; heading: string; intro: string }[] = [
  { kind: 'section', heading: 'Sections', intro: 'Every story of a section of the site.' },
  { kind: 'tag', heading: 'Topics', intro: 'Stories with a tag, from every section.' },
  { kind: 'author', heading: 'Authors', intro: 'Stories by one author, from every section.' },
];

function entry(baseUrl: string, feed: FeedListing): string {
  return `<li><h3><a href="${attr(`${baseUrl}/${feed.basePath}/index.html`)}">${escapeHtml(feed.title)}</a></h3>
<p>${escapeHtml(feed.description)}</p>
<p class="formats">${formatLinks(feedUrls(baseUrl, feed.basePath))}</p></li>`;
}

/** `/feeds/index.html`: every feed of the site grouped by kind, with autodiscovery for all of them. */
export function renderFeedIndex(config: PublisherConfig, baseUrl: string, feeds: FeedListing[]): string {
  const groups = GROUPS.map((g) => ({ ...g, feeds: feeds.filter((f) => f.kind === g.kind) }))
    .filter((g) => g.feeds.length > 0)
    .map(
      (g) => `<section aria-labelledby="${g.kind}-feeds"><h2 id="${g.kind}-feeds">${g.heading}</h2>
<p class="lede">${g.intro}</p>
<ul class="feeds">
${g.feeds.map((f) => entry(baseUrl, f)).join('\n')}
</ul></section>`,
    )
    .join('\n');
  const opml = `${baseUrl}/feeds/index.opml`;
  const discovery = feeds.map((f) => autodiscoveryLinks(f.title, feedUrls(baseUrl, f.basePath))).join('\n');
  return page(
    config.language,
    `${config.siteTitle}: feeds`,
    `${discovery}\n<link rel="alternate" type="text/x-opml" title="All feeds (OPML)" href="${attr(opml)}">`,
    `<header><h1>${escapeHtml(config.siteTitle)}: feeds</h1>
<p class="lede">Follow the news in your feed reader: every feed comes as RSS, Atom and JSON Feed. Open a feed's page for one-click subscribe links and addresses to copy.</p>
<p><a class="button" href="${attr(opml)}">Import all feeds at once (OPML)</a></p></header>
<main>${groups}</main>`,
  );
}
