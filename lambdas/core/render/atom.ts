import { modifiedAt } from '../article/corrections.js';
import { articleLanguage } from '../article/language.js';
import type { Article } from '../article/types.js';
import { GENERATOR, type FeedContext } from './context.js';
import { ExtensionOutput } from './ext/index.js';
import { itemContentHtml } from './itemContent.js';
import { cdata, emptyElement, escapeXmlAttribute, prolog, textElement } from './xml.js';

function entry(ctx: FeedContext, article: Article, options: { fullText: boolean }, ext: ExtensionOutput): string {
  const { image } = article;
  const content = itemContentHtml(article, ctx.config.language, options);
  // xml:lang only where the entry's language differs from the feed's: it inherits otherwise.
  const language = articleLanguage(article, ctx.config.language);
  return (
    (language === ctx.config.language ? '<entry>' : `<entry xml:lang="${escapeXmlAttribute(language)}">`) +
    textElement('id', ctx.itemId(article)) +
    textElement('title', article.title, { type: 'text' }) +
    emptyElement('link', { rel: 'alternate', type: 'text/html', href: article.url }) +
    (image ? emptyElement('link', { rel: 'enclosure', type: image.type, href: image.url, length: image.length, title: image.alt }) : '') +
    textElement('published', new Date(article.publishedAt).toISOString()) +
    textElement('updated', new Date(modifiedAt(article)).toISOString()) +
    article.authors.map((a) => `<author>${textElement('name', a.name)}${a.url ? textElement('uri', a.url) : ''}</author>`).join('') +
    article.tags.map((term) => emptyElement('category', { term })).join('') +
    textElement('summary', article.summary, { type: 'text' }) +
    (content ? `<content type="html">${cdata(content)}</content>` : '') +
    ext.item(ctx, article) +
    '</entry>\n'
  );
}

/** Atom 1.0 (RFC 4287), written directly from the feed model; extensions come from ext/. */
export function renderAtom(ctx: FeedContext, options: { fullText: boolean }): string {
  const { config, section } = ctx;
  const ext = new ExtensionOutput('atom');
  const head =
    textElement('id', ctx.feedId) +
    textElement('title', section.title, { type: 'text' }) +
    textElement('subtitle', section.description, { type: 'text' }) +
    textElement('updated', ctx.updated.toISOString()) +
    textElement('generator', GENERATOR) +
    emptyElement('link', { rel: 'alternate', type: 'text/html', href: ctx.homeUrl }) +
    emptyElement('link', { rel: 'self', type: 'application/atom+xml', href: ctx.selfUrl.atom }) +
    // The readable feed page is related, never alternate: readers take an alternate for the site.
    emptyElement('link', { rel: 'related', type: 'text/html', href: ctx.pageUrl }) +
    ext.channel(ctx) +
    (config.icon ? textElement('icon', config.icon) : '') +
    (config.logo ? textElement('logo', config.logo) : '') +
    (config.copyright ? textElement('rights', config.copyright, { type: 'text' }) : '') +
    '\n';
  let entries = '';
  for (const article of ctx.articles) entries += entry(ctx, article, options, ext);
  return `${prolog(ctx.stylesheet)}<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXmlAttribute(config.language)}"${ext.namespaces()}>\n${head}${entries}</feed>\n`;
}
