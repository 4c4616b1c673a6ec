import { z } from 'zod';
import type { Article } from './types.js';

/** Longest language tag accepted (BCP 47 puts no limit; real tags are far shorter). */
export const MAX_LANGUAGE_TAG_LENGTH = 64;

/**
 * `en-GB` from `en-gb`, `he` from the deprecated `iw`; undefined when the value is not a
 * well-formed BCP 47 tag whose language is an ISO 639 code (2 or 3 letters: `English` is refused,
 * though BCP 47 reserves 5-8 letter subtags).
 */
export function canonicalLanguageTag(value: string): string | undefined {
  if (value.length === 0 || value.length > MAX_LANGUAGE_TAG_LENGTH) return undefined;
  let tag: string | undefined;
  try {
    tag = Intl.getCanonicalLocales(value)[0];
  } catch {
    return undefined;
  }
  return tag && /^[a-z]{2,3}(-|$)/.test(tag) ? tag : undefined;
}

/**
 * An article's language: a BCP 47 tag (RFC 5646), stored in its canonical form once at ingest, so
 * every format carries the same string (`pt-br` → `pt-BR`).
 */
export const languageTagSchema = z.string({ error: 'must be a language tag (a JSON string) such as "en" or "ar"' }).transform((value, ctx) => {
  const tag = canonicalLanguageTag(value.trim());
  if (tag) return tag;
  ctx.addIssue({ code: 'custom', message: 'must be a BCP 47 language tag such as "en", "en-GB", "ar" or "zh-Hant"' });
  return z.NEVER;
});

/** The language an article is written in: its own, else the section's (today the site's `language`). */
export function articleLanguage(article: Pick<Article, 'language'>, fallback: string): string {
  return article.language ?? fallback;
}
