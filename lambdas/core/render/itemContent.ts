import { escapeHtml } from '../article/text.js';
import type { Article } from '../article/types.js';
import { dateTimeText } from './pages/dates.js';

/**
 * The corrections of a story as one marked block, oldest first: each correction's time (a
 * `<time datetime>` with the record's date-time, shown in the record's own offset) and its text,
 * escaped (plain text, never markup). '' for a story without corrections.
 */
export function correctionsBlock(article: Article, language: string, heading: 'h2' | 'h3' | 'h4' = 'h2'): string {
  const corrections = article.corrections ?? [];
  if (corrections.length === 0) return '';
  const items = corrections.map((c) => `<p><time datetime="${escapeHtml(c.at)}">${escapeHtml(dateTimeText(c.at, language))}</time>: ${escapeHtml(c.text)}</p>`).join('');
  return `<aside class="corrections"><${heading}>Corrections</${heading}>${items}</aside>`;
}

/**
 * The HTML content of a feed item, the same for every writer (RSS `content:encoded`, Atom
 * `content type="html"`, JSON Feed `content_html`, the ninjs body): the full text when the feed
 * carries it, then the corrections block. A summaries-only feed (or a story without a body) with
 * corrections carries the summary as a paragraph and the block, so readers still see them; ''
 * when there is nothing to carry beyond the plain-text summary.
 */
export function itemContentHtml(article: Article, language: string, options: { fullText: boolean }): string {
  const block = correctionsBlock(article, language);
  if (options.fullText && article.contentHtml) return article.contentHtml + block;
  if (!block) return '';
  return (article.summary ? `<p>${escapeHtml(article.summary)}</p>` : '') + block;
}
