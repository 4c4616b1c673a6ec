import { stripXmlInvalid } from '../article/text.js';

/**
 * xml-js (under `feed`) escapes element text but writes attribute values as given, and `feed`
 * escapes only `&` in a few of them: attribute values we pass must be escaped here.
 */
export function escapeXmlAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

/** The last line of defence: whatever slipped into a string, the document stays well-formed XML. */
export function finishXml(xml: string): string {
  return stripXmlInvalid(xml);
}

/** Adds namespace declarations to the document's root element when it lacks them. */
export function declareNamespaces(xml: string, rootName: string, namespaces: Record<string, string>): string {
  const start = xml.indexOf(`<${rootName} `);
  const end = xml.indexOf('>', start);
  if (start < 0 || end < 0) throw new Error(`No <${rootName}> root element`);
  const openTag = xml.slice(start, end);
  const missing = Object.entries(namespaces)
    .filter(([prefix]) => !openTag.includes(` xmlns:${prefix}=`))
    .map(([prefix, uri]) => ` xmlns:${prefix}="${uri}"`)
    .join('');
  return xml.slice(0, end) + missing + xml.slice(end);
}

/** RFC 5005 feed history namespace (fh:archive). */
export const FEED_HISTORY_NS = 'http://purl.org/syndication/history/1.0';
