/**
 * Single-table key design.
 *
 *   pk = ARTICLE#{id}      sk = ARTICLE             the current version of an article (any status)
 *   pk = SECTION#{slug}    sk = {publishedAtMs}#{id} one entry per *published* article in its section
 *   pk = TAG#{slug}        sk = {publishedAtMs}#{id} and per tag feed it belongs in (configured or automatic)
 *   pk = AUTHOR#{slug}     sk = {publishedAtMs}#{id} and per author feed (feeds/membership.ts decides which)
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
/** Entries of a tag feed: `TAG#{slug}`, same sort keys as sections. */
export const tagPk = (slug: string) => `TAG#${slug}`;

/** Entries of an author feed: `AUTHOR#{slug}`, same sort keys as sections. */
export const authorPk = (slug: string) => `AUTHOR#${slug}`;

/** Zero-padded so that string order is time order (good until the year 5138). */
export function entrySortKey(publishedAtMs: number, id: string): string {
  return `${String(publishedAtMs).padStart(15, '0')}#${id}`;
}

/** One version of a feed entry (article id and version time): what two reads of a feed compare. */
export const entryVersion = (id: string, updatedAtMs: number) => `${id}@${updatedAtMs}`;

/**
 * Exclusive upper bound of the entries visible at `asOfMs`: every sort key of an article published
 * at or before that instant sorts below it, every later one (a scheduled article) at or above.
 */
export function entrySortKeyBound(asOfMs: number): string {
  return String(Math.floor(asOfMs) + 1).padStart(15, '0');
}

/** Prefix of article items' partition key: the stream filter keeps only these. */
export const ARTICLE_PK_PREFIX = 'ARTICLE#';

/**
 * Publication state of a feed (request counter, published counter, lease, what was last published),
 * under its key (`section/international`, `tag/russia`): kept in its own partition so the
 * regeneration function may write it without being able to touch articles.
 */
export const STATE_PK_PREFIX = 'STATE#';
export const feedStateKey = (feedKey: string) => ({ [KEY.partition]: `${STATE_PK_PREFIX}${feedKey}`, [KEY.sort]: 'STATE' });
/** What the site-wide documents (index page, OPML, stylesheet) were last published from. No feed key has this form. */
export const SITE_STATE_KEY = { [KEY.partition]: `${STATE_PK_PREFIX}site`, [KEY.sort]: 'SITE' };
/**
 * The feed registry: one item per feed that has been published (sk = its key, `tag/russia`), with
 * kind, slug, title, description and item count; one Query lists every feed for the index and OPML.
 */
export const FEED_REGISTRY_PK = `${STATE_PK_PREFIX}registry`;

/**
 * A section's full history for RFC 5005 archive pages, kept by the regeneration function:
 *   pk = ARCHIVE#{slug}      sk = {seq}   the article holding archive slot `seq` (page = seq / pageSize)
 *   pk = ARCHIVEIDX#{slug}   sk = {id}    which slot an article holds
 * Slots are handed out in the order articles enter the section, so pages fill oldest first and
 * only the newest page grows.
 */
export const ARCHIVE_PK_PREFIX = 'ARCHIVE';
export const archivePk = (slug: string) => `ARCHIVE#${slug}`;
export const archiveIndexKey = (slug: string, id: string) => ({ [KEY.partition]: `ARCHIVEIDX#${slug}`, [KEY.sort]: id });
export const archiveSortKey = (seq: number) => String(seq).padStart(12, '0');
