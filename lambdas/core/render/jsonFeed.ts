import { modifiedAt } from '../article/corrections.js';
import { articleLanguage } from '../article/language.js';
import type { Article } from '../article/types.js';
import { GENERATOR, type FeedContext } from './context.js';
import { imageCreditAndRights } from './imageRights.js';
import { itemContentHtml } from './itemContent.js';

/** `content_html` (full text and/or the corrections block, see itemContentHtml), else the summary as `content_text`. */
function content(article: Article, language: string, options: { fullText: boolean }): { content_html: string } | { content_text: string } {
  const html = itemContentHtml(article, language, options);
  return html ? { content_html: html } : { content_text: article.summary };
}

/**
 * JSON Feed 1.1, written directly: `feed`'s json1() emits version 1 (a single `author`, no
 * `language`, no `authors`), and JSON.stringify needs no escaping help.
 */
export function renderJsonFeed(ctx: FeedContext, options: { fullText: boolean }): string {
  const { config, section } = ctx;
  // JSON Feed pagination: the subscription feed and each archive page point to the next older page.
  const next = ctx.links.find((l) => l.rel === 'next' && l.format === 'json')?.href;
  const document = {
    version: 'https://jsonfeed.org/version/1.1',
    title: section.title,
    home_page_url: ctx.homeUrl,
    feed_url: ctx.selfUrl.json,
    ...(next && { next_url: next }),
    description: section.description,
    language: config.language,
    ...(config.logo && { icon: config.logo }),
    ...(config.icon && { favicon: config.icon }),
    _publisher: { generator: GENERATOR, updated: ctx.updated.toISOString() },
    items: ctx.articles.map((a) => ({
      id: ctx.itemId(a),
      url: a.url,
      title: a.title,
      ...content(a, config.language, options),
      summary: a.summary,
      ...(a.image && { image: a.image.url }),
      date_published: new Date(a.publishedAt).toISOString(),
      date_modified: new Date(modifiedAt(a)).toISOString(),
      authors: a.authors.map((au) => ({ name: au.name, ...(au.url && { url: au.url }) })),
      tags: a.tags,
      language: articleLanguage(a, config.language),
      ...(a.image && {
        _image: {
          url: a.image.url,
          type: a.image.type,
          alt: a.image.alt,
          ...(a.image.caption !== undefined && { caption: a.image.caption }),
          ...imageCreditAndRights(a.image, config),
          ...(a.image.width !== undefined && { width: a.image.width }),
          ...(a.image.height !== undefined && { height: a.image.height }),
          ...(a.image.length !== undefined && { size_in_bytes: a.image.length }),
        },
      }),
      // The corrections as data too, oldest first: a custom object (JSON Feed 1.1 extensions are objects).
      ...(a.corrections && { _corrections: { items: a.corrections.map((c) => ({ at: new Date(c.at).toISOString(), text: c.text })) } }),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
