import type { FieldError } from '../article/index.js';
import { articleIdFromFileName, parseContentFile, type ContentFileOptions } from './contentFile.js';
import { isMediaReference } from './media.js';

export type ContentRecordResult = { ok: true; id: string; record: unknown } | { ok: false; id: string; errors: FieldError[] };

export interface ContentRecordOptions extends ContentFileOptions {
  /**
   * `true` (the default, for content/): a record's `id` must equal the file name, since removing
   * `content/{id}.md` must retract exactly article `{id}`. `false` (files posted by `npm run ingest`,
   * e.g. an export or docs/examples/valid.json): the file name is only the id a record without one gets.
   */
  idMustMatchFileName?: boolean;
}

/**
 * A content file as an article record, or why it cannot be one (unparseable YAML/JSON, or an `id`
 * that differs from the file name where that matters, see ContentRecordOptions).
 * Field validation is left to ArticleValidator, like for any other input.
 */
export function readContentRecord(fileName: string, text: string, options: ContentRecordOptions = {}): ContentRecordResult {
  let id = articleIdFromFileName(fileName);
  let record: unknown;
  try {
    record = parseContentFile(fileName, text, options);
  } catch (error) {
    return { ok: false, id, errors: [{ field: '(file)', message: `cannot be parsed: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const recordId = (record as { id?: unknown } | null)?.id;
  if (options.idMustMatchFileName === false && typeof recordId === 'string') id = recordId;
  else if (record && typeof record === 'object' && recordId !== id) {
    return { ok: false, id, errors: [{ field: 'id', message: `must equal the file name "${id}" (or be left out), so that removing the file retracts this article` }] };
  }
  const imageUrl = (record as { image?: { url?: unknown } } | null)?.image?.url;
  if (typeof imageUrl === 'string' && isMediaReference(imageUrl)) {
    return { ok: false, id, errors: [{ field: 'image.url', message: `"${imageUrl}" is media shipped with content/, but no public feeds origin was given to resolve it` }] };
  }
  return { ok: true, id, record };
}

export function describeFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join('; ');
}
