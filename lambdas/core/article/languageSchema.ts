import * as z from 'zod/mini';
import { canonicalLanguageTag } from './language.js';

// Apart from language.ts, which the renderers import: the regeneration bundle carries no zod (issue 14).
/**
 * An article's language: a BCP 47 tag (RFC 5646), stored in its canonical form once at ingest, so
 * every format carries the same string (`pt-br` → `pt-BR`).
 */
export const languageTagSchema = z.pipe(
  z.string({ error: 'must be a language tag (a JSON string) such as "en" or "ar"' }),
  z.transform((value, ctx) => {
    const tag = canonicalLanguageTag(value.trim());
    if (tag) return tag;
    ctx.issues.push({ code: 'custom', message: 'must be a BCP 47 language tag such as "en", "en-GB", "ar" or "zh-Hant"', input: value });
    return z.NEVER;
  }),
);
