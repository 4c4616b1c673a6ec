import { modifiedAt } from '../article/corrections.js';
import { escapeHtml } from '../article/text.js';
import type { Article } from '../article/types.js';
import { GENERATOR, type FeedContext } from './context.js';
import { ExtensionOutput } from './ext/index.js';
import { itemContentHtml } from './itemContent.js';
import { cdata, element, emptyElement, prolog, textElement } from './xml.js';

const rfc822 = (date: Date) => date.toUTCString();

function item(ctx: FeedContext, article: Article, options: { fullText: boolean }, ext: ExtensionOutput): string {
  const { image } = article;
  const content = itemContentHtml(article, ctx.config.language, options);
  return (
    '<item>' +
    textElement('title', article.title) +
    textElement('link', article.url) +
    textElement('guid', ctx.itemId(article), { isPermaLink: 'false' }) +
    textElement('pubDate', rfc822(new Date(article.publishedAt))) +
    // RSS description is HTML: the plain-text summary is HTML-escaped, then XML-escaped.
    textElement('description', escapeHtml(article.summary)) +
    (content ? `<content:encoded>${cdata(content)}</content:encoded>` : '') +
    article.tags.map((t) => textElement('category', t)).join('') +
    // RSS has no item updated time of its own: atom:updated carries it, moved by a correction too.
    textElement('atom:updated', new Date(modifiedAt(article)).toISOString()) +
    // RSS Advisory Board best practice: length "0" when the byte length is unknown.
    (image ? emptyElement('enclosure', { url: image.url, length: image.length ?? 0, type: image.type }) : '') +
    ext.item(ctx, article) +
    '</item>\n'
  );
}

/** RSS 2.0, written directly from the feed model; Media RSS, Dublin Core, WebSub and RFC 5005 come from ext/. */
export function renderRss(ctx: FeedContext, options: { fullText: boolean }): string {
  const { config, section } = ctx;
  const ext = new ExtensionOutput('rss');
  const updated = rfc822(ctx.updated);
  const channel =
    textElement('title', section.title) +
    textElement('link', ctx.homeUrl) +
    textElement('description', section.description) +
    textElement('language', config.language) +
    textElement('pubDate', updated) +
    textElement('lastBuildDate', updated) +
    textElement('generator', GENERATOR) +
    '<docs>https://www.rssboard.org/rss-specification</docs>' +
    textElement('ttl', String(Math.max(1, Math.round(config.feedMaxAgeSeconds / 60)))) +
    (config.logo ? element('image', undefined, textElement('url', config.logo) + textElement('title', section.title) + textElement('link', ctx.homeUrl)) : '') +
    (config.copyright ? textElement('copyright', config.copyright) : '') +
    emptyElement('atom:link', { rel: 'self', href: ctx.selfUrl.rss, type: 'application/rss+xml' }) +
    // The readable feed page is related, never alternate: readers take an alternate for the site.
    emptyElement('atom:link', { rel: 'related', href: ctx.pageUrl, type: 'text/html' }) +
    ext.channel(ctx) +
    '\n';
  let items = '';
  for (const article of ctx.articles) items += item(ctx, article, options, ext);
  return (
    `${prolog(ctx.stylesheet)}<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/"${ext.namespaces()}>\n` +
    `<channel>${channel}${items}</channel>\n</rss>\n`
  );
}
