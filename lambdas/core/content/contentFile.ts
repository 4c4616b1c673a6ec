import { basename } from 'node:path';
import matter from 'gray-matter';
import { marked } from 'marked';

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
export function parseContentFile(fileName: string, text: string): unknown {
  const id = articleIdFromFileName(fileName);
  if (/\.json$/i.test(fileName)) {
    const record = JSON.parse(text) as unknown;
    return record && typeof record === 'object' && !Array.isArray(record) ? { id, ...record } : record;
  }
  const { data, content } = matter(text);
  const contentHtml = marked.parse(content, { async: false, gfm: true });
  return { id, ...(datesToIso(data) as Record<string, unknown>), contentHtml };
}

export const CONTENT_FILE = /\.(md|json)$/i;
