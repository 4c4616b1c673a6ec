import { basename } from 'node:path';
import matter from 'gray-matter';
import { marked, type Token } from 'marked';
import { isMediaReference, mediaUrl } from './media.js';

export interface ContentFileOptions {
  /**
   * Public origin of the feeds host (`https://feeds.example.org`; the local server's URL in
   * `npm start`). `media/...` references to media shipped with content/ (the lead image's `url`,
   * images in a Markdown body) become absolute URLs on it. Without it they are left as they are,
   * and readContentRecord reports them.
   */
  feedsOrigin?: string;
}

/** YAML turns unquoted timestamps into Dates; the record wants ISO strings. */
function datesToIso(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(datesToIso);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, datesToIso(v)]));
  }
  return value;
}

/** The article id a content file stands for: its name without extension (`content/{id}.md`). */
export function articleIdFromFileName(fileName: string): string {
  return basename(fileName).replace(/\.(md|json)$/i, '');
}

/**
 * Turns a content file into a raw article record (validated later, like any other input).
 * `.md`: YAML front matter holds the fields, the Markdown body becomes `contentHtml`.
 * `.json`: the record itself. The id defaults to the file name.
 */
export function parseContentFile(fileName: string, text: string, options: ContentFileOptions = {}): unknown {
  const id = articleIdFromFileName(fileName);
  const { feedsOrigin } = options;
  if (/\.json$/i.test(fileName)) {
    const record = JSON.parse(text) as unknown;
    return record && typeof record === 'object' && !Array.isArray(record) ? resolveLeadImage({ id, ...record }, feedsOrigin) : record;
  }
  const { data, content } = matter(text);
  const walkTokens = (token: Token) => {
    if (token.type === 'image' && feedsOrigin && isMediaReference(token.href)) token.href = mediaUrl(feedsOrigin, token.href);
  };
  const contentHtml = marked.parse(content, { async: false, gfm: true, walkTokens });
  return resolveLeadImage({ id, ...(datesToIso(data) as Record<string, unknown>), contentHtml }, feedsOrigin);
}

/** The lead image's `media/...` URL as an absolute URL on the feeds origin. */
function resolveLeadImage(record: Record<string, unknown>, feedsOrigin: string | undefined): Record<string, unknown> {
  const image = record['image'] as { url?: unknown } | undefined;
  if (!feedsOrigin || !image || typeof image !== 'object' || typeof image.url !== 'string' || !isMediaReference(image.url)) return record;
  return { ...record, image: { ...image, url: mediaUrl(feedsOrigin, image.url) } };
}

export const CONTENT_FILE = /\.(md|json)$/i;
