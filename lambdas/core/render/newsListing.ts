import type { Article } from '../article/types.js';

/**
 * Everything of one article the news sitemap's bytes depend on (its URL, title, publication time,
 * language, status), as one string: two versions with the same listing give the same sitemap.
 * Ingest keeps it on the article item, so the stream's old and new images say whether a change
 * can alter the sitemap without the stored document being read.
 */
export function newsSitemapListing(article: Partial<Pick<Article, 'status' | 'publishedAt' | 'url' | 'title' | 'language'>>): string {
  return JSON.stringify([article.status ?? 'published', article.publishedAt ?? null, article.url ?? null, article.title ?? null, article.language ?? null]);
}
