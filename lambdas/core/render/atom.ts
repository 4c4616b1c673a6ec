import { Feed } from 'feed';
import { escapeHtml } from '../article/index.js';
import { GENERATOR, type FeedContext } from './context.js';
import { escapeXmlAttribute, finishXml } from './xml.js';

/** `feed` guesses an enclosure's type from the URL's extension (`image/jpg`); put the true type back. */
function fixEnclosureTypes(xml: string, typeByHref: Map<string, string>): string {
  if (typeByHref.size === 0) return xml;
  return xml.replace(/(<link rel="enclosure" href="([^"]*)"(?: title="[^"]*")?) type="[^"]*"/g, (match, head: string, href: string) => {
    const type = typeByHref.get(href);
    return type ? `${head} type="${type}"` : match;
  });
}

/**
 * Atom 1.0 via `feed`, with its gaps covered: tag: URIs as entry ids (it throws on non-URL ids),
 * categories with `term`, text escaped for `type="html"`, true enclosure types, no fake length.
 */
export function renderAtom(ctx: FeedContext, options: { fullText: boolean }): string {
  const { config, section } = ctx;
  const feed = new Feed({
    id: ctx.feedId,
    title: section.title,
    description: section.description,
    link: ctx.homeUrl,
    language: config.language,
    updated: ctx.updated,
    generator: GENERATOR,
    feedLinks: { atom: ctx.selfUrl.atom },
    ...(config.logo && { image: config.logo }),
    ...(config.icon && { favicon: config.icon }),
    ...(config.copyright && { copyright: config.copyright }),
  });
  const typeByHref = new Map<string, string>();
  for (const article of ctx.articles) {
    const { image } = article;
    if (image) typeByHref.set(escapeXmlAttribute(new URL(image.url).toString()), image.type);
    feed.addItem({
      title: escapeHtml(article.title),
      id: ctx.itemId(article),
      link: article.url,
      date: new Date(article.updatedAt),
      published: new Date(article.publishedAt),
      description: escapeHtml(article.summary),
      ...(options.fullText && article.contentHtml && { content: article.contentHtml }),
      author: article.authors.map((a) => ({ name: a.name, ...(a.url && { link: a.url }) })),
      category: article.tags.map((term) => ({ term })),
      ...(image && { enclosure: { url: image.url, title: escapeXmlAttribute(image.alt) } }),
    });
  }
  const xml = feed.atom1().replace('<feed xmlns="http://www.w3.org/2005/Atom">', `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXmlAttribute(config.language)}">`);
  return finishXml(fixEnclosureTypes(xml, typeByHref));
}
