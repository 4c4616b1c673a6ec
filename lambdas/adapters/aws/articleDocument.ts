import { gunzipSync, gzipSync } from 'node:zlib';
import type { Article } from '../../core/article/types.js';

/**
 * How an article is kept in its DynamoDB items (the article item, each feed entry, each archive
 * slot): its JSON, gzip-compressed, in the binary attribute `docz`. DynamoDB bills reads and writes
 * by item size (a unit per 1 KB written, per 4 KB read), and a feed render reads 50 entries each
 * carrying a whole article, so compression divides what every write and every feed read costs
 * (a 4.3 KB bench article is 1.5 KB compressed). Items written before hold the JSON as the string
 * attribute `doc`; both are read.
 */
export const DOC_ATTRIBUTE = 'docz';
const LEGACY_DOC_ATTRIBUTE = 'doc';

/** The stored form of one article: compressed once, shared by every item of its transaction. */
export function encodeArticleDocument(article: Article): Uint8Array {
  return gzipSync(JSON.stringify(article), { level: 6 });
}

/** The JSON of an item's article (document-client item: binary as Uint8Array), or undefined when it has none. */
export function articleDocumentJson(item: Record<string, unknown>): string | undefined {
  const compressed = item[DOC_ATTRIBUTE];
  if (compressed instanceof Uint8Array) return gunzipSync(compressed).toString('utf8');
  const legacy = item[LEGACY_DOC_ATTRIBUTE];
  return typeof legacy === 'string' ? legacy : undefined;
}

/** The article an item holds; throws when it has none or it is not JSON (callers report unreadable items). */
export function decodeArticleDocument(item: Record<string, unknown>): Article {
  const json = articleDocumentJson(item);
  if (json === undefined) throw new Error('no stored document');
  return JSON.parse(json) as Article;
}
