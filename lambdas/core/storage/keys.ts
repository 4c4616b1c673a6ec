/**
 * Single-table key design.
 *
 *   pk = ARTICLE#{id}      sk = ARTICLE             the current version of an article (any status)
 *   pk = SECTION#{slug}    sk = {publishedAtMs}#{id} one entry per *published* article in its section
 *
 * A section's newest N published articles are one strongly consistent Query on SECTION#{slug},
 * newest sort key first, whatever the size of the archive or of other sections. An article's write,
 * the removal of its old entry (retraction, move, new publish date) and the put of its new entry are
 * one transaction, so a feed never sees an article twice or in two sections.
 */
export const KEY = { partition: 'pk', sort: 'sk' } as const;

export const ARTICLE_SK = 'ARTICLE';
export const ENTITY_ARTICLE = 'article';
export const ENTITY_ENTRY = 'entry';

export const articleKey = (id: string) => ({ [KEY.partition]: `ARTICLE#${id}`, [KEY.sort]: ARTICLE_SK });
export const sectionPk = (slug: string) => `SECTION#${slug}`;

/** Zero-padded so that string order is time order (good until the year 5138). */
export function entrySortKey(publishedAtMs: number, id: string): string {
  return `${String(publishedAtMs).padStart(15, '0')}#${id}`;
}

/** Prefix of article items' partition key: the stream filter keeps only these. */
export const ARTICLE_PK_PREFIX = 'ARTICLE#';

/**
 * Publication state of a section (request counter, published counter, lease): kept in its own
 * partition so the regeneration function may write it without being able to touch articles.
 */
export const STATE_PK_PREFIX = 'STATE#';
export const sectionStateKey = (slug: string) => ({ [KEY.partition]: `${STATE_PK_PREFIX}${slug}`, [KEY.sort]: 'STATE' });
