import type { FieldError } from './types.js';

/** A record that breaks the ingest contract; `fields` names each offending field. */
export class InvalidArticleError extends Error {
  override readonly name = 'InvalidArticleError';
  constructor(readonly fields: FieldError[]) {
    super(`Invalid article: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`);
  }
}
