import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLParser } from 'fast-xml-parser';
import { SaxesParser } from 'saxes';

/** Strict XML 1.0 well-formedness (saxes rejects invalid characters, bad CDATA, unbound prefixes). */
export function assertWellFormedXml(xml: string): void {
  const parser = new SaxesParser({ xmlns: true });
  let failure: Error | undefined;
  parser.on('error', (err) => {
    failure ??= err;
  });
  parser.write(xml).close();
  if (failure) throw new Error(`not well-formed XML: ${failure.message}`);
}

/** Parses with a real, widely used npm feed parser; throws if it cannot make sense of the document. */
export function parseWithFeedParser(xml: string) {
  assertWellFormedXml(xml);
  return parseFeed(xml);
}

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['item', 'entry', 'link', 'atom:link', 'enclosure', 'media:content'].includes(name),
});

type XmlNode = Record<string, unknown>;
const textOf = (node: unknown): string | undefined => (node === undefined ? undefined : typeof node === 'object' ? ((node as XmlNode)['#text'] as string | undefined) ?? '' : String(node));
const attr = (node: unknown, name: string): string | undefined => (node as XmlNode | undefined)?.[`@${name}`] as string | undefined;

/** What the XML says beyond what @rowanmanning/feed-parser exposes: link rels, enclosures, Media RSS, text constructs' types. */
function xmlView(xml: string) {
  const doc = xmlParser.parse(xml) as XmlNode;
  const rss = (doc['rss'] as XmlNode | undefined)?.['channel'] as XmlNode | undefined;
  const root = rss ?? (doc['feed'] as XmlNode);
  const links = ((rss ? root['atom:link'] : root['link']) as XmlNode[] | undefined) ?? [];
  const items = ((rss ? root['item'] : root['entry']) as XmlNode[] | undefined) ?? [];
  return {
    /** Channel links as `rel href`, sorted (order carries no meaning). */
    links: links.map((l) => `${attr(l, 'rel') ?? 'alternate'} ${attr(l, 'href')}`).sort(),
    pubDate: rss && textOf(root['pubDate']),
    lastBuildDate: rss && textOf(root['lastBuildDate']),
    titleType: rss ? undefined : (attr(root['title'], 'type') ?? 'text'),
    items: items.map((item) => {
      const media = (item['media:content'] as XmlNode[] | undefined)?.[0];
      const enclosure = rss
        ? (item['enclosure'] as XmlNode[] | undefined)?.[0]
        : (item['link'] as XmlNode[]).find((l) => attr(l, 'rel') === 'enclosure');
      return {
        titleType: rss ? undefined : (attr(item['title'], 'type') ?? 'text'),
        summaryType: rss ? undefined : (attr(item['summary'], 'type') ?? 'text'),
        contentType: rss ? undefined : attr(item['content'], 'type'),
        enclosure: enclosure && { url: attr(enclosure, rss ? 'url' : 'href'), type: attr(enclosure, 'type'), length: attr(enclosure, 'length') },
        media: media && {
          url: attr(media, 'url'),
          type: attr(media, 'type'),
          width: attr(media, 'width'),
          height: attr(media, 'height'),
          alt: textOf(media['media:description']),
          caption: textOf(media['media:title']),
          credit: textOf(media['media:credit']),
        },
      };
    }),
  };
}

/** Every field a reader shows, as a real parser (plus fast-xml-parser for the rest) reads it. */
export function readerView(xml: string) {
  const feed = parseWithFeedParser(xml);
  const extra = xmlView(xml);
  return {
    title: feed.title,
    homeLink: feed.url,
    description: feed.description,
    language: feed.language,
    self: feed.self,
    updated: feed.updated?.toISOString(),
    generator: feed.generator?.label,
    image: feed.image?.url,
    copyright: feed.copyright,
    ...extra,
    items: feed.items.map((item, i) => ({
      id: item.id,
      title: item.title,
      link: item.url,
      summary: item.description,
      content: item.content,
      authors: item.authors.map((a) => ({ name: a.name, url: a.url })),
      categories: item.categories.map((c) => c.term),
      published: item.published?.toISOString(),
      updated: item.updated?.toISOString(),
      ...extra.items[i],
    })),
  };
}
