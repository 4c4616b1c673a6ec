import { articleLanguage } from '../article/language.js';
import { withoutXmlInvalid } from '../article/text.js';
import type { Article } from '../article/types.js';
import type { PublisherConfig } from '../config/index.js';
import { newestFirst } from './context.js';
import { element, escapeXmlText, textElement } from './xml.js';

/**
 * The Google News sitemap (sitemaps.org `urlset` with the news extension): the articles published
 * in the two days up to the newest publication, at most 1,000, newest first. The window is anchored
 * on the newest stored publication time, not on the clock, so the same stored articles always give
 * the same bytes (a site that publishes nothing for days keeps its last two days listed; Google
 * skips entries older than two days itself).
 */
export const NEWS_SITEMAP_WINDOW_MS = 2 * 24 * 60 * 60 * 1000;
export const NEWS_SITEMAP_MAX_URLS = 1000;

export const SITEMAP_NAMESPACE = 'http://www.sitemaps.org/schemas/sitemap/0.9';
export const NEWS_SITEMAP_NAMESPACE = 'http://www.google.com/schemas/sitemap-news/0.9';

/** Start of the window (inclusive): two days before the newest publication; undefined without articles. */
export function newsSitemapWindowStart(articles: readonly Pick<Article, 'publishedAt'>[]): number | undefined {
  if (articles.length === 0) return undefined;
  return Math.max(...articles.map((a) => Date.parse(a.publishedAt))) - NEWS_SITEMAP_WINDOW_MS;
}

/** What the sitemap lists from the given published articles: inside the window, each once, newest first, capped. */
export function newsSitemapArticles(articles: readonly Article[]): Article[] {
  const since = newsSitemapWindowStart(articles);
  if (since === undefined) return [];
  const byId = new Map<string, Article>();
  // An article whose URL is not absolute (stored by hand or by older code) cannot be a <loc>: left out, as a feed leaves out a poison article.
  for (const a of articles) if (a.status === 'published' && Date.parse(a.publishedAt) >= since && URL.canParse(a.url)) byId.set(a.id, a);
  return [...byId.values()].sort(newestFirst).slice(0, NEWS_SITEMAP_MAX_URLS);
}

/**
 * `news:language` as Google asks for it: the ISO 639 code of the article's language tag
 * (`pt-BR` → `pt`), except Chinese, written `zh-cn` (Simplified) or `zh-tw` (Traditional).
 */
export function newsLanguageCode(tag: string): string {
  const [primary, ...rest] = tag.toLowerCase().split('-');
  if (primary !== 'zh') return primary!;
  return rest.some((s) => s === 'hant' || s === 'tw' || s === 'hk' || s === 'mo') ? 'zh-tw' : 'zh-cn';
}

function url(config: PublisherConfig, article: Article): string {
  const publication = element(
    'news:publication',
    undefined,
    textElement('news:name', config.siteTitle) + textElement('news:language', newsLanguageCode(articleLanguage(article, config.language))),
  );
  const news = element(
    'news:news',
    undefined,
    publication + textElement('news:publication_date', new Date(article.publishedAt).toISOString()) + textElement('news:title', article.title),
  );
  return `<url><loc>${escapeXmlText(article.url)}</loc>${news}</url>\n`;
}

/** The sitemap document of the given published articles (any order, any number: it selects and orders them). */
export function renderNewsSitemap(config: PublisherConfig, articles: readonly Article[]): string {
  const site = withoutXmlInvalid(config);
  const urls = newsSitemapArticles(articles)
    .map((a) => url(site, withoutXmlInvalid(a)))
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="${SITEMAP_NAMESPACE}" xmlns:news="${NEWS_SITEMAP_NAMESPACE}">\n${urls}</urlset>\n`;
}
