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

/** The language an article is written in: its own, else the section's (today the site's `language`). */
export function articleLanguage(article: Pick<Article, 'language'>, fallback: string): string {
  return article.language ?? fallback;
}
