import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArticleValidator, type Article } from '../../lambdas/core/article/index.js';
import { loadPublisherConfigFromCdkJson } from '../../lambdas/core/config/index.js';
import { parseContentFile } from '../../lambdas/core/content/index.js';
import { renderSectionFeeds } from '../../lambdas/core/render/index.js';
import { articleRecord, at, testConfig } from '../helpers/factories.js';
import { parseWithFeedParser } from '../helpers/feedChecks.js';

const config = testConfig();
const international = config.sections[0]!;
const validator = new ArticleValidator(config);
const BASE = 'https://feeds.test.example';

function article(overrides: Record<string, unknown> = {}): Article {
  const result = validator.parse(articleRecord(overrides));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.article;
}

const render = (articles: Article[]) => renderSectionFeeds(config, international, BASE, articles);

describe('renderSectionFeeds', () => {
  it('writes three documents at the public paths with their content types', () => {
    const docs = render([article()]);
    expect(docs.rss).toMatchObject({ path: 'feeds/international/rss.xml', contentType: 'application/rss+xml; charset=utf-8' });
    expect(docs.atom).toMatchObject({ path: 'feeds/international/atom.xml', contentType: 'application/atom+xml; charset=utf-8' });
    expect(docs.json).toMatchObject({ path: 'feeds/international/feed.json', contentType: 'application/feed+json; charset=utf-8' });
  });

  it('is deterministic: same state, same bytes, whatever the input order; channel date is the newest updatedAt', () => {
    const a = article({ id: 'a', publishedAt: at(0), updatedAt: at(50) });
    const b = article({ id: 'b', publishedAt: at(10), updatedAt: at(20) });
    const first = render([a, b]);
    const second = render([b, a]);
    expect(second).toEqual(first);
    const atom = parseWithFeedParser(first.atom.body);
    expect(atom.updated?.toISOString()).toBe(at(50));
    expect(JSON.parse(first.json.body)._publisher.updated).toBe(at(50));
  });

  it('orders newest first and keeps at most itemsPerFeed items', () => {
    const articles = Array.from({ length: 8 }, (_, i) => article({ id: `story-${i}`, publishedAt: at(i), updatedAt: at(i) }));
    const docs = render(articles);
    const ids = parseWithFeedParser(docs.rss.body).items.map((i) => i.id);
    expect(ids).toEqual(['story-7', 'story-6', 'story-5', 'story-4', 'story-3'].map((id) => `tag:news.test.example,2025:article/${id}`));
    expect(JSON.parse(docs.json.body).items).toHaveLength(config.itemsPerFeed);
  });

  it('carries every field a reader and partner needs, in each format', () => {
    const a = article({ id: 'full', title: 'Full story', authors: [{ name: 'Ann Author', url: 'https://news.test.example/ann' }, { name: 'Bo Writer' }], tags: ['Alpha', 'Beta Gamma'] });
    const docs = render([a]);

    const rss = parseWithFeedParser(docs.rss.body);
    expect(rss.meta.type).toBe('rss');
    expect(rss.self).toBe(`${BASE}/feeds/international/rss.xml`);
    expect(rss.language).toBe('en');
    const rssItem = rss.items[0]!;
    expect(rssItem.title).toBe('Full story');
    expect(rssItem.url).toBe('https://news.test.example/stories/full');
    expect(rssItem.content).toContain('Body of synthetic story');
    expect(rssItem.authors.map((x) => x.name)).toEqual(['Ann Author', 'Bo Writer']);
    expect(rssItem.categories.map((c) => c.label ?? c.term)).toEqual(['Alpha', 'Beta Gamma']);
    expect(rssItem.media[0]).toMatchObject({ url: 'https://news.test.example/images/full.jpg', mimeType: 'image/jpeg' });
    expect(docs.rss.body).toContain('<guid isPermaLink="false">tag:news.test.example,2025:article/full</guid>');
    expect(docs.rss.body).toContain('<media:description type="plain">Image for full</media:description>');
    // Authors are dc:creator (RSS's <author> is an e-mail address); the enclosure has the true type and length 0 when unknown.
    expect(docs.rss.body).not.toMatch(/<author>|image\/jpg"/);
    expect(docs.rss.body).toContain('<enclosure url="https://news.test.example/images/full.jpg" length="0" type="image/jpeg"/>');

    const atom = parseWithFeedParser(docs.atom.body);
    expect(atom.meta.type).toBe('atom');
    expect(atom.self).toBe(`${BASE}/feeds/international/atom.xml`);
    const entry = atom.items[0]!;
    expect(entry.id).toBe('tag:news.test.example,2025:article/full');
    expect(entry.published?.toISOString()).toBe(new Date(a.publishedAt).toISOString());
    expect(entry.authors.map((x) => x.name)).toEqual(['Ann Author', 'Bo Writer']);
    expect(entry.categories.map((c) => c.term)).toEqual(['Alpha', 'Beta Gamma']);
    expect(entry.media[0]).toMatchObject({ url: 'https://news.test.example/images/full.jpg', mimeType: 'image/jpeg' });
    expect(docs.atom.body).not.toMatch(/length=|image\/jpg"/);

    const json = JSON.parse(docs.json.body);
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.feed_url).toBe(`${BASE}/feeds/international/feed.json`);
    expect(json.items[0]).toMatchObject({
      id: 'tag:news.test.example,2025:article/full',
      url: 'https://news.test.example/stories/full',
      title: 'Full story',
      summary: a.summary,
      content_html: a.contentHtml,
      image: 'https://news.test.example/images/full.jpg',
      authors: [{ name: 'Ann Author', url: 'https://news.test.example/ann' }, { name: 'Bo Writer' }],
      tags: ['Alpha', 'Beta Gamma'],
      date_published: new Date(a.publishedAt).toISOString(),
      date_modified: new Date(a.updatedAt).toISOString(),
    });
    expect(json).not.toHaveProperty('author');
  });

  it('keeps hostile text from breaking any format', () => {
    const hostile = article({
      id: 'hostile',
      title: 'Breaking ]]> <script>alert(1)</script> & "quotes" \u0001 — 😀 Привет 中文 العربية',
      summary: 'Ends with ]]> and <b>markup</b> & an ampersand',
      contentHtml: '<p>Nested ]]> CDATA end</p><script>alert(1)</script><a href="javascript:alert(1)">x</a>',
      tags: ['A & B', 'Quote "tag"'],
      authors: [{ name: 'O\'Brien & <Sons>' }],
      image: { url: 'https://news.test.example/img?a=1&b=2', type: 'image/png', alt: 'Alt & "quoted" <text>', caption: 'Cap ]]> tion' },
    });
    // Text that somehow bypassed ingest is still made well-formed at render.
    const bypassed = { ...article({ id: 'bypassed' }), title: 'Raw \u0000\u0008 control \uD800 chars' };
    const docs = render([hostile, bypassed]);
    for (const xml of [docs.rss.body, docs.atom.body]) {
      const feed = parseWithFeedParser(xml);
      const item = feed.items.find((i) => i.id?.endsWith('/hostile'))!;
      expect(item.title).toContain('Breaking ]]>');
      expect(item.title).toContain('😀 Привет 中文 العربية');
      expect(item.content ?? '').not.toMatch(/<script|javascript:/);
      expect(item.media[0]?.url).toBe('https://news.test.example/img?a=1&b=2');
      expect(item.media[0]?.mimeType).toBe('image/png');
      expect(feed.items.find((i) => i.id?.endsWith('/bypassed'))!.title).toBe('Raw  control  chars');
    }
    const json = JSON.parse(docs.json.body);
    expect(json.items.find((i: { id: string }) => i.id.endsWith('/hostile')).title).toContain(']]> <script>');
  });

  it('renders an empty section as valid feeds with a fixed date', () => {
    const docs = render([]);
    expect(parseWithFeedParser(docs.rss.body).items).toEqual([]);
    expect(parseWithFeedParser(docs.atom.body).updated?.toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(JSON.parse(docs.json.body).items).toEqual([]);
  });

  it('leaves full text out of public feeds of a summary-only section', () => {
    const summaryOnly = testConfig({ sections: [{ name: 'International', description: 'World.', fullTextInPublicFeeds: false }] });
    const story = article();
    const docs = renderSectionFeeds(summaryOnly, summaryOnly.sections[0]!, BASE, [story]);
    const fullText = renderSectionFeeds(config, international, BASE, [story]);
    // The same article in a full-text section carries the body, so the absence below means something.
    for (const doc of Object.values(fullText)) expect(doc.body).toContain('Body of synthetic story');
    for (const doc of Object.values(docs)) expect(doc.body).not.toContain('Body of synthetic story');
    expect(docs.rss.body).not.toContain('<content:encoded>');
    expect(docs.atom.body).not.toContain('<content ');
    const item = JSON.parse(docs.json.body).items[0];
    expect(item.content_text).toBe(story.summary);
    expect(item).not.toHaveProperty('content_html');
  });

  it('renders the seed article of content/ correctly in all three International feeds', () => {
    const siteConfig = loadPublisherConfigFromCdkJson();
    const file = 'content/international-putin-kursk-visit.md';
    const parsed = new ArticleValidator(siteConfig).parse(parseContentFile(file, readFileSync(file, 'utf8'), { feedsOrigin: BASE }));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const seed = parsed.article;
    expect(seed).toMatchObject({ section: 'International', authors: [{ name: 'IIE Digital Desk' }], tags: ['Putin Kursk visit', 'Russia Ukraine conflict'] });
    expect(seed.image).toMatchObject({ url: `${BASE}/media/international/putin-kursk-visit-placeholder.jpg`, width: 1200, height: 675, type: 'image/jpeg' });
    const docs = renderSectionFeeds(siteConfig, siteConfig.sections[0]!, BASE, [seed]);
    const title = 'Putin Visits Kursk for First Time Since Russian Forces Reclaimed Region from Ukraine';
    for (const xml of [docs.rss.body, docs.atom.body]) {
      const item = parseWithFeedParser(xml).items[0]!;
      expect(item.title).toBe(title);
      expect(item.published?.toISOString()).toBe('2025-05-20T06:30:00.000Z');
      expect(item.authors[0]?.name).toBe('IIE Digital Desk');
      expect(item.content).toContain('acting Governor Alexander Khinshtein');
    }
    expect(JSON.parse(docs.json.body).items[0]).toMatchObject({ title, tags: ['Putin Kursk visit', 'Russia Ukraine conflict'] });
  });
});
