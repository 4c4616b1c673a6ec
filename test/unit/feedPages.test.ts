import { describe, expect, it } from 'vitest';
import { ArticleValidator, type Article } from '../../lambdas/core/article/index.js';
import { buildFeedContext, type FeedLink } from '../../lambdas/core/render/context.js';
import { renderFeedIndex, renderFeedPage } from '../../lambdas/core/render/html.js';

const prevArchiveLinks = (base: string, folder: string, page: number): FeedLink[] =>
  (['atom', 'rss'] as const).map((format) => ({ rel: 'prev-archive', href: `${base}/${folder}/archive/${format}-${page}.xml`, format }));
import { articleRecord, at, testConfig } from '../helpers/factories.js';

const config = testConfig({ tagFeeds: [{ tag: 'Markets' }], language: 'en-GB' });
const section = config.sections[0]!;
const BASE = 'https://feeds.test.example';
const validator = new ArticleValidator(config);

function article(overrides: Record<string, unknown> = {}): Article {
  const result = validator.parse(articleRecord(overrides));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.article;
}

const pageOf = (articles: Article[], options: Parameters<typeof renderFeedPage>[1] = {}, links = prevArchiveLinks(BASE, 'feeds/international', 3)) =>
  renderFeedPage(buildFeedContext(config, section, BASE, articles, { links }), options);

describe('a feed page', () => {
  it('dates each story in its own offset, with <time datetime>, and marks updates', () => {
    const html = pageOf([
      article({ id: 'edited', publishedAt: '2025-05-20T12:00:00+05:30', updatedAt: '2025-05-20T18:45:00+05:30' }),
      article({ id: 'fresh', publishedAt: '2025-05-19T08:00:00-04:00', updatedAt: '2025-05-19T08:00:00-04:00' }),
    ]);
    const edited = html.slice(html.indexOf('id="edited"'), html.indexOf('id="fresh"'));
    expect(edited).toContain('<time datetime="2025-05-20T12:00:00+05:30">20 May 2025, 12:00 UTC+05:30</time>');
    expect(edited).toContain('<span class="updated">Updated <time datetime="2025-05-20T18:45:00+05:30">20 May 2025, 18:45 UTC+05:30</time></span>');
    const fresh = html.slice(html.indexOf('id="fresh"'));
    expect(fresh).toContain('<time datetime="2025-05-19T08:00:00-04:00">19 May 2025, 08:00 UTC−04:00</time>');
    expect(fresh).not.toContain('class="updated"');
  });

  it('links every tag and author to its automatic feed, by the membership rules', () => {
    const story = article({ tags: ['Markets', 'Oil'], authors: [{ name: 'Ana Souza' }, { name: 'Desk <b>' }] });
    const html = pageOf([story]);
    expect(html).toContain(`<a class="tag" href="${BASE}/feeds/tags/markets/index.html">Markets</a>`);
    expect(html).toContain(`<a class="tag" href="${BASE}/feeds/tags/oil/index.html">Oil</a>`);
    expect(html).toContain(`By <a href="${BASE}/feeds/authors/ana-souza/index.html">Ana Souza</a>, <a href="${BASE}/feeds/authors/desk-b/index.html">Desk &lt;b&gt;</a>`);
  });

  it('with automatic feeds off or excluded, links only configured tags, and authors only where the resolver knows a feed', () => {
    const off = testConfig({
      tagFeeds: [{ tag: 'Markets' }],
      automaticFeeds: { tags: { enabled: false }, authors: { exclude: ['Desk <b>'] } },
    });
    const story = article({ tags: ['Markets', 'Oil'], authors: [{ name: 'Ana Souza' }, { name: 'Desk <b>' }] });
    const plain = renderFeedPage(buildFeedContext(off, off.sections[0]!, BASE, [story]));
    expect(plain).toContain(`<a class="tag" href="${BASE}/feeds/tags/markets/index.html">Markets</a>`);
    expect(plain).toContain('<span class="tag">Oil</span>');
    expect(plain).toContain(`By <a href="${BASE}/feeds/authors/ana-souza/index.html">Ana Souza</a>, <span>Desk &lt;b&gt;</span>`);
    const resolved = renderFeedPage(buildFeedContext(off, off.sections[0]!, BASE, [story]), { authorPageUrl: () => undefined });
    expect(resolved).toContain('By <span>Ana Souza</span>, <span>Desk &lt;b&gt;</span>');
  });

  it('links the newest archive page of each format, and nothing when there is no archive', () => {
    const html = pageOf([article()]);
    expect(html).toContain(`<a href="${BASE}/feeds/international/archive/atom-3.xml">Atom</a> · <a href="${BASE}/feeds/international/archive/rss-3.xml">RSS</a>`);
    expect(pageOf([article()], {}, [])).not.toContain('class="archive"');
  });

  it('puts the full text on the page only where public feeds carry it', () => {
    const story = article({ contentHtml: '<p>Full body here.</p>' });
    expect(pageOf([story])).toContain('<div class="body"><p>Full body here.</p></div>');
    const summaryOnly = testConfig({ sections: [{ name: 'International', description: 'World.', fullTextInPublicFeeds: false }] });
    const html = renderFeedPage(buildFeedContext(summaryOnly, summaryOnly.sections[0]!, BASE, [story]));
    expect(html).not.toContain('Full body here.');
  });
});

describe('the feed index', () => {
  it('groups feeds by kind under headings, one compact line of format links each', () => {
    const html = renderFeedIndex(config, BASE, [
      { kind: 'section', title: 'International', description: 'World news.', basePath: 'feeds/international' },
      { kind: 'tag', title: 'Markets', description: 'Tagged Markets.', basePath: 'feeds/tags/markets' },
      { kind: 'author', title: 'Ana Souza', description: 'By Ana Souza.', basePath: 'feeds/authors/ana-souza' },
      { kind: 'section', title: 'Business', description: 'Companies.', basePath: 'feeds/business' },
    ]);
    const headings = [...html.matchAll(/<h([23])[^>]*>(?:<a [^>]*>)?([^<]+)/g)].map((m) => `h${m[1]} ${m[2]}`);
    expect(headings).toEqual(['h2 Sections', 'h3 International', 'h3 Business', 'h2 Topics', 'h3 Markets', 'h2 Authors', 'h3 Ana Souza']);
    expect(html).toContain(
      `<a href="${BASE}/feeds/tags/markets/rss.xml" type="application/rss+xml">RSS</a> · <a href="${BASE}/feeds/tags/markets/atom.xml" type="application/atom+xml">Atom</a> · <a href="${BASE}/feeds/tags/markets/feed.json" type="application/feed+json">JSON Feed</a>`,
    );
    expect(html).not.toContain('class="subscribe"');
  });

  it('leaves out the headings of kinds without feeds', () => {
    const html = renderFeedIndex(config, BASE, [{ kind: 'section', title: 'International', description: 'World news.', basePath: 'feeds/international' }]);
    expect(html).toContain('>Sections</h2>');
    expect(html).not.toContain('>Topics</h2>');
    expect(html).not.toContain('>Authors</h2>');
  });
});

it('stays deterministic: the same state renders the same bytes', () => {
  const stories = [article({ id: 'a', publishedAt: at(1), updatedAt: at(2) }), article({ id: 'b', publishedAt: at(3), updatedAt: at(3) })];
  expect(pageOf([...stories].reverse())).toBe(pageOf(stories));
});
