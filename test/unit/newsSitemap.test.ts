import { describe, expect, it } from 'vitest';
import { ArticleValidator, type Article } from '../../lambdas/core/article/index.js';
import { NEWS_SITEMAP, SITE_DOCUMENTS } from '../../lambdas/core/render/formats.js';
import {
  NEWS_SITEMAP_MAX_URLS,
  NEWS_SITEMAP_NAMESPACE,
  newsLanguageCode,
  renderNewsSitemap,
  renderRobotsTxt,
  renderSiteDocuments,
  SITEMAP_NAMESPACE,
} from '../../lambdas/core/render/index.js';
import { articleRecord, testConfig } from '../helpers/factories.js';
import { parseSitemap } from '../helpers/sitemapChecks.js';

const config = testConfig();
const validator = new ArticleValidator(config);
const NEWEST = Date.parse('2025-06-10T12:00:00Z');
const hoursBefore = (h: number) => new Date(NEWEST - h * 3_600_000).toISOString();

function article(overrides: Record<string, unknown> = {}): Article {
  const result = validator.parse(articleRecord(overrides));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.article;
}
const story = (id: string, hours: number, overrides: Record<string, unknown> = {}) => article({ id, publishedAt: hoursBefore(hours), updatedAt: hoursBefore(hours), ...overrides });

describe('the Google News sitemap', () => {
  it('is a sitemaps.org urlset with the news namespace: loc is the article url, then publication name and language, date and title', () => {
    const xml = renderNewsSitemap(config, [story('one', 0, { title: 'G7 & EU <leaders>' })]);
    expect(xml).toContain(`xmlns="${SITEMAP_NAMESPACE}" xmlns:news="${NEWS_SITEMAP_NAMESPACE}"`);
    expect(parseSitemap(xml)).toEqual([
      { loc: 'https://news.test.example/stories/one', name: 'Test Desk', language: 'en', date: '2025-06-10T12:00:00.000Z', title: 'G7 & EU <leaders>' },
    ]);
  });

  it('holds the articles published in the two days up to the newest publication, newest first', () => {
    const xml = renderNewsSitemap(config, [story('old', 49), story('edge', 48), story('recent', 47), story('newest', 0), story('middle', 12)]);
    expect(parseSitemap(xml).map((u) => u.loc.replace(/^.*\//, ''))).toEqual(['newest', 'middle', 'recent', 'edge']);
  });

  it('is deterministic: the same stored articles in any order give the same bytes (no clock is read)', () => {
    const list = [story('a', 1), story('b', 2), story('c', 2), story('d', 30)];
    const once = renderNewsSitemap(config, list);
    expect(renderNewsSitemap(config, [...list].reverse())).toBe(once);
    expect(renderNewsSitemap(config, [list[2]!, list[0]!, list[3]!, list[1]!])).toBe(once);
  });

  it(`lists at most ${NEWS_SITEMAP_MAX_URLS.toLocaleString('en')} articles, the newest`, () => {
    const many = Array.from({ length: NEWS_SITEMAP_MAX_URLS + 25 }, (_, i) => story(`s-${i}`, i / 60));
    const urls = parseSitemap(renderNewsSitemap(config, many));
    expect(urls).toHaveLength(NEWS_SITEMAP_MAX_URLS);
    expect(urls[0]!.loc).toMatch(/\/s-0$/);
    expect(urls.at(-1)!.loc).toMatch(new RegExp(`/s-${NEWS_SITEMAP_MAX_URLS - 1}$`));
  });

  it("gives each article's own language as Google asks for it (ISO 639; zh-cn / zh-tw for Chinese)", () => {
    const xml = renderNewsSitemap(config, [
      story('arabic', 1, { language: 'ar' }),
      story('brazil', 2, { language: 'pt-BR' }),
      story('taiwan', 3, { language: 'zh-Hant' }),
      story('china', 4, { language: 'zh-Hans-CN' }),
      story('default', 5),
    ]);
    expect(parseSitemap(xml).map((u) => u.language)).toEqual(['ar', 'pt', 'zh-tw', 'zh-cn', 'en']);
    expect(newsLanguageCode('zh-HK')).toBe('zh-tw');
    expect(newsLanguageCode('zh')).toBe('zh-cn');
    expect(newsLanguageCode('fil')).toBe('fil');
  });

  it('leaves out retracted articles and articles whose stored url is not absolute; an empty sitemap is still a urlset', () => {
    const retracted = { ...story('gone', 1), status: 'retracted' as const };
    const broken = { ...story('broken', 2), url: 'not a url' };
    expect(parseSitemap(renderNewsSitemap(config, [retracted, broken, story('kept', 3)])).map((u) => u.loc)).toEqual(['https://news.test.example/stories/kept']);
    const empty = renderNewsSitemap(config, []);
    expect(parseSitemap(empty)).toEqual([]);
  });

  it('is in the format registry as application/xml with the cache policy of documents that change with the articles', () => {
    expect(NEWS_SITEMAP.path).toBe('sitemaps/news.xml');
    expect(NEWS_SITEMAP.contentType).toBe('application/xml; charset=utf-8');
    expect(NEWS_SITEMAP.cacheControl(config)).toMatch(/^public, max-age=60, s-maxage=3,/);
  });
});

describe('robots.txt on the feeds host', () => {
  it('names the news sitemap by its absolute URL on the feeds host and keeps crawlers out of partner documents', () => {
    expect(renderRobotsTxt('https://feeds.test.example/')).toBe('User-agent: *\nDisallow: /partners/\n\nSitemap: https://feeds.test.example/sitemaps/news.xml\n');
  });

  it('is a site document, text/plain, written with the index page and OPML', () => {
    const robots = renderSiteDocuments(config, 'http://127.0.0.1:3000', []).find((d) => d.path === 'robots.txt');
    expect(robots).toMatchObject({ contentType: 'text/plain; charset=utf-8', body: expect.stringContaining('Sitemap: http://127.0.0.1:3000/sitemaps/news.xml\n') });
    expect(SITE_DOCUMENTS.map((k) => k.path)).toContain('robots.txt');
  });
});
