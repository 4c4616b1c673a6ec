import { Feed } from 'feed';
import { escapeHtml } from '../article/text.js';
import { channelOptions, type FeedContext } from './context.js';
import { imageCreditAndRights } from './imageRights.js';
import { declareNamespaces, escapeXmlAttribute, FEED_HISTORY_NS, finishXml } from './xml.js';

/** `feed` guesses an enclosure's type from the URL's extension (`image/jpg`); put the true type back. */
function fixEnclosureTypes(xml: string, typeByHref: Map<string, string>): string {
  if (typeByHref.size === 0) return xml;
  return xml.replace(/(<link rel="enclosure" href="([^"]*)"(?: title="[^"]*")?) type="[^"]*"/g, (match, head: string, href: string) => {
    const type = typeByHref.get(href);
    return type ? `${head} type="${type}"` : match;
  });
}

const MEDIA_NS = 'http://search.yahoo.com/mrss/';
const xmlText = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Atom has no image metadata: a Media RSS element in each entry carries alt, caption, credit and rights. */
function addEntryMedia(xml: string, ctx: FeedContext): string {
  let index = 0;
  const withMedia = xml.replace(/<\/entry>/g, (end) => {
    const image = ctx.articles[index++]?.image;
    if (!image) return end;
    const { credit, rights } = imageCreditAndRights(image, ctx.config);
    const size = `${image.width !== undefined ? ` width="${image.width}"` : ''}${image.height !== undefined ? ` height="${image.height}"` : ''}`;
    const children = [
      `<media:description type="plain">${xmlText(image.alt)}</media:description>`,
      ...(image.caption !== undefined ? [`<media:title type="plain">${xmlText(image.caption)}</media:title>`] : []),
      ...(credit !== undefined ? [`<media:credit>${xmlText(credit)}</media:credit>`] : []),
      ...(rights !== undefined ? [`<media:copyright>${xmlText(rights)}</media:copyright>`] : []),
    ].join('');
    return `    <media:content url="${escapeXmlAttribute(image.url)}" medium="image" type="${escapeXmlAttribute(image.type)}"${size}>${children}</media:content>\n    ${end}`;
  });
  return index > 0 && withMedia !== xml ? declareNamespaces(withMedia, 'feed', { media: MEDIA_NS }) : withMedia;
}

/** `feed` writes only alternate, self and one hub link: the others go right after self. */
function addChannelLinks(xml: string, ctx: FeedContext): string {
  const own = ctx.links.filter((l) => !l.format || l.format === 'atom');
  if (own.length === 0) return xml;
  const links = own
    .map((l) => `    <link rel="${escapeXmlAttribute(l.rel)}" href="${escapeXmlAttribute(l.href)}"${l.type ? ` type="${escapeXmlAttribute(l.type)}"` : ''}/>\n`)
    .join('');
  return xml.replace(/(<link rel="self" [^>]*\/>\n)/, `$1${links}`);
}

/**
 * Atom 1.0 via `feed`, with its gaps covered: tag: URIs as entry ids (it throws on non-URL ids),
 * categories with `term`, text escaped for `type="html"`, true enclosure types, no fake length.
 */
export function renderAtom(ctx: FeedContext, options: { fullText: boolean }): string {
  const { config } = ctx;
  const feed = new Feed({
    ...channelOptions(ctx),
    feedLinks: { atom: ctx.selfUrl.atom },
    ...(config.icon && { favicon: config.icon }),
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
  let xml = feed.atom1().replace('<feed xmlns="http://www.w3.org/2005/Atom">', `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXmlAttribute(config.language)}">`);
  xml = addChannelLinks(xml, ctx);
  if (ctx.archive) xml = declareNamespaces(xml, 'feed', { fh: FEED_HISTORY_NS }).replace(/(<\/id>\n)/, `$1    <fh:archive/>\n`);
  return finishXml(fixEnclosureTypes(addEntryMedia(xml, ctx), typeByHref));
}
