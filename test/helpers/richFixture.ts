import { ArticleValidator, type Article } from '../../lambdas/core/article/index.js';
import { renderArchivePage } from '../../lambdas/core/render/archive.js';
import { sectionTarget } from '../../lambdas/core/feeds/index.js';
import { buildFeedContext, type FeedContextOptions } from '../../lambdas/core/render/context.js';
import { renderAtom, renderJsonFeed, renderRss } from '../../lambdas/core/render/index.js';
import { testConfig } from './factories.js';

export const RICH_BASE = 'https://feeds.test.example';

/** A site with every optional channel field set: logo, icon, copyright, a hub, a section page. */
export const richConfig = () =>
  testConfig({
    logo: 'https://news.test.example/logo.png',
    icon: 'https://news.test.example/favicon.png',
    copyright: '© Test Desk',
    websubHubs: ['https://hub.test.example/'],
    sections: [{ name: 'International', description: 'World news & views.', link: 'https://news.test.example/international' }],
  });

/** Three articles that exercise every reader-visible field. */
export function richArticles(): Article[] {
  const validator = new ArticleValidator(richConfig());
  const records = [
    {
      id: 'g7-leaders',
      title: 'G7 & EU leaders <meet> in Rome',
      summary: 'Leaders of the G7 & the EU met; "trade" was on the agenda.',
      contentHtml: '<p>Full text of the G7 story with <a href="/more">a relative link</a> &amp; more.</p><p>Second paragraph.</p>',
      url: 'https://news.test.example/international/g7-leaders',
      section: 'International',
      authors: [{ name: 'Ann Author', url: 'https://news.test.example/authors/ann' }, { name: 'Bo Writer' }, { name: 'Cy Reporter' }],
      tags: ['G7', 'Trade & Tariffs', 'Europe'],
      image: { url: 'https://news.test.example/images/g7.jpg', alt: 'Leaders at the table', caption: 'The G7 summit in Rome', credit: 'Photo: Jane Doe / Agency', width: 1200, height: 800 },
      publishedAt: '2025-06-01T10:00:00+02:00',
      updatedAt: '2025-06-01T12:30:00+02:00',
    },
    {
      id: 'markets-open',
      title: 'Markets open higher',
      summary: 'Stocks rose at the open.',
      contentHtml: '<p>Markets text.</p>',
      url: 'https://news.test.example/international/markets-open',
      section: 'International',
      authors: [{ name: 'Dee Desk' }],
      tags: ['Markets'],
      image: { url: 'https://news.test.example/images/markets.png', alt: 'A trading floor', type: 'image/png' },
      publishedAt: '2025-05-31T08:00:00Z',
      updatedAt: '2025-05-31T08:00:00Z',
    },
    {
      id: 'no-image',
      title: 'A story without an image',
      summary: 'Nothing to see.',
      contentHtml: '<p>Plain.</p>',
      url: 'https://news.test.example/international/no-image',
      section: 'International',
      authors: [{ name: 'Ann Author', url: 'https://news.test.example/authors/ann' }],
      tags: [],
      publishedAt: '2025-05-30T08:00:00Z',
      updatedAt: '2025-05-30T09:00:00Z',
    },
  ];
  return records.map((r) => {
    const parsed = validator.parse(r);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return parsed.article;
  });
}

/** The subscription feed's options as the publisher passes them: page, hub, archive link, stylesheet. */
function subscriptionOptions(): FeedContextOptions {
  const base = RICH_BASE;
  return {
    basePath: 'feeds/international',
    idPath: 'section/international',
    links: [
      { rel: 'alternate', type: 'text/html', href: `${base}/feeds/international/index.html` },
      { rel: 'hub', href: 'https://hub.test.example/' },
      { rel: 'prev-archive', href: `${base}/feeds/international/archive/atom-0.xml`, format: 'atom' },
      { rel: 'prev-archive', href: `${base}/feeds/international/archive/rss-0.xml`, format: 'rss' },
    ],
    stylesheet: `${base}/feeds/feed.xsl`,
  };
}

/** The rich fixture's documents, as the current code renders them (the golden files are this, frozen). */
export function renderRichFixture(): Record<'rss.xml' | 'atom.xml' | 'feed.json' | 'archive-atom-0.xml' | 'archive-rss-0.xml', string> {
  const config = richConfig();
  const section = config.sections[0]!;
  const articles = richArticles();
  const ctx = buildFeedContext(config, section, RICH_BASE, articles, subscriptionOptions());
  const options = { fullText: true };
  const [archiveRss, archiveAtom] = renderArchivePage(config, sectionTarget(config, section.slug), RICH_BASE, { page: 0, newestPage: 1, articles: [...articles].reverse() });
  return {
    'rss.xml': renderRss(ctx, options),
    'atom.xml': renderAtom(ctx, options),
    'feed.json': renderJsonFeed(ctx, options),
    'archive-atom-0.xml': archiveAtom!.body,
    'archive-rss-0.xml': archiveRss!.body,
  };
}
