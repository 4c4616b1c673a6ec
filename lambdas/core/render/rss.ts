import { Feed, type Extension } from 'feed';
import { escapeHtml } from '../article/text.js';
import type { Article } from '../article/types.js';
import { channelOptions, type FeedContext } from './context.js';
import { imageCreditAndRights } from './imageRights.js';
import { declareNamespaces, escapeXmlAttribute, FEED_HISTORY_NS, finishXml } from './xml.js';

const NAMESPACES = {
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  media: 'http://search.yahoo.com/mrss/',
};

/** xml-js takes an array to mean repeated elements; `feed`'s type only admits an object. */
const extension = (name: string, objects: unknown): Extension => ({ name, objects: objects as Extension['objects'] });

/** Media RSS for the lead image: RSS `<enclosure>` demands a byte length we do not know. */
function mediaContent(image: NonNullable<Article['image']>, config: FeedContext['config']) {
  const { credit, rights } = imageCreditAndRights(image, config);
  return {
    _attributes: {
      url: escapeXmlAttribute(image.url),
      medium: 'image',
      type: image.type,
      ...(image.width !== undefined && { width: image.width }),
      ...(image.height !== undefined && { height: image.height }),
    },
    'media:description': { _attributes: { type: 'plain' }, _text: image.alt },
    ...(image.caption !== undefined && { 'media:title': { _attributes: { type: 'plain' }, _text: image.caption } }),
    ...(credit !== undefined && { 'media:credit': { _text: credit } }),
    ...(rights !== undefined && { 'media:copyright': { _text: rights } }),
  };
}

/** RSS 2.0 via `feed`, with its gaps covered: dc:creator for authors, media:content for images, atom:updated. */
export function renderRss(ctx: FeedContext, options: { fullText: boolean }): string {
  const { config } = ctx;
  const feed = new Feed({
    ...channelOptions(ctx),
    feedLinks: { rss: ctx.selfUrl.rss },
    ttl: Math.max(1, Math.round(config.feedMaxAgeSeconds / 60)),
  });
  // The channel's atom:link list, self first; it replaces the single one `feed` writes, in place.
  const atomLinks = [{ rel: 'self', href: ctx.selfUrl.rss, type: 'application/rss+xml' }, ...ctx.links.filter((l) => !l.format || l.format === 'rss')].map((l) => ({
    _attributes: { href: escapeXmlAttribute(l.href), rel: l.rel, ...(l.type && { type: l.type }) },
  }));
  feed.addExtension(extension('atom:link', atomLinks));
  if (ctx.archive) feed.addExtension(extension('fh:archive', {}));
  for (const article of ctx.articles) {
    const extensions = [
      // `feed` writes a bare name into <author>, which RSS reserves for an e-mail address.
      extension('dc:creator', article.authors.map((a) => ({ _text: a.name }))),
      extension('atom:updated', { _text: new Date(article.updatedAt).toISOString() }),
    ];
    if (article.image) extensions.push(extension('media:content', mediaContent(article.image, config)));
    feed.addItem({
      title: article.title,
      guid: ctx.itemId(article),
      link: article.url,
      date: new Date(article.updatedAt),
      published: new Date(article.publishedAt),
      description: escapeHtml(article.summary),
      ...(options.fullText && article.contentHtml && { content: article.contentHtml }),
      category: article.tags.map((name) => ({ name })),
      extensions,
    });
  }
  return finishXml(declareNamespaces(feed.rss2(), 'rss', ctx.archive ? { ...NAMESPACES, fh: FEED_HISTORY_NS } : NAMESPACES));
}
