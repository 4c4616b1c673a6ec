import type { Article } from '../article/types.js';
import type { ArticleChange } from '../feeds/index.js';
import { NEWS_SITEMAP } from '../render/formats.js';
import { NEWS_SITEMAP_MAX_URLS, newsSitemapArticles, newsSitemapWindowStart } from '../render/newsSitemap.js';

export { newsSitemapListing } from '../render/newsListing.js';
import { sectionPk, type ArticleRepository } from '../storage/index.js';
import type { Manifest } from './feedState.js';
import { publishUnderLease, type LeasedOutcome } from './leasedPublication.js';
import type { CoordinatedPublishingDeps } from './publishFeed.js';
import { documentHash, type PublishingDeps } from './regenerateFeed.js';

/** The news sitemap's state item (request counter, lease, manifest): a key no feed has. */
export const NEWS_SITEMAP_KEY = 'site/news-sitemap';

/** Entries read per section at first: enough for a quiet section; a busy one is read further (×4 a step, up to 1,000). */
export const NEWS_SITEMAP_FIRST_READ = 10;

/**
 * Whether a change may change the sitemap: an article added or removed, moved to another section,
 * published or retracted, or changed in what the sitemap lists of it (newsListing). An edit of its
 * body, summary, tags or image leaves the sitemap's bytes as they are, so it is not republished
 * (the sitemap's read costs as much as a few feed renders). Unknown listings count as changed.
 */
export function newsSitemapTouchedBy(change: ArticleChange): boolean {
  const { old, new: now } = change;
  if (!old || !now) return old !== undefined || now !== undefined;
  if (old.newsListing === undefined || now.newsListing === undefined) return true;
  return old.newsListing !== now.newsListing || old.sectionSlug !== now.sectionSlug || (old.published ?? true) !== (now.published ?? true);
}

interface SectionRead {
  partition: string;
  limit: number;
  articles: Article[];
  /** Entries read (readable or not): fewer than the limit means the partition has no more. */
  count: number;
  unreadable: { id: string; reason: string }[];
}

async function read(store: ArticleRepository, partition: string, limit: number, asOf: Date): Promise<SectionRead> {
  const { articles, unreadable } = await store.readEntries(partition, limit, asOf);
  return { partition, limit, articles, unreadable, count: articles.length + unreadable.length };
}

/**
 * The published articles the sitemap may list, through the repository's own feed query (so every
 * bound it applies, such as publication time, applies here too): each section's newest 10 entries
 * first, and more (×4 a step, up to 1,000) only for a section whose oldest entry read is still
 * inside the two-day window. A quiet site costs one small Query per section.
 */
export async function readNewsSitemapArticles(deps: Pick<PublishingDeps, 'config' | 'store' | 'clock'>): Promise<{ articles: Article[]; unreadable: { id: string; reason: string }[] }> {
  // One as-of instant for the whole read: a scheduled article is in no section's read before its time.
  const asOf = deps.clock.now();
  let reads = await Promise.all(deps.config.sections.map((s) => read(deps.store, sectionPk(s.slug), NEWS_SITEMAP_FIRST_READ, asOf)));
  for (;;) {
    const since = newsSitemapWindowStart(reads.flatMap((r) => r.articles));
    if (since === undefined) break;
    const more = (r: SectionRead) => r.count === r.limit && r.limit < NEWS_SITEMAP_MAX_URLS && (r.articles.length === 0 || Date.parse(r.articles.at(-1)!.publishedAt) >= since);
    if (!reads.some(more)) break;
    reads = await Promise.all(reads.map((r) => (more(r) ? read(deps.store, r.partition, Math.min(NEWS_SITEMAP_MAX_URLS, r.limit * 4), asOf) : r)));
  }
  return { articles: reads.flatMap((r) => r.articles), unreadable: reads.flatMap((r) => r.unreadable) };
}

export interface NewsSitemapResult {
  /** URLs listed. */
  items: number;
  changed: boolean;
  unreadable: { id: string; reason: string }[];
  manifest: Manifest;
  archivePages: readonly number[];
}

/** Renders the sitemap from the table's current state and writes it if its bytes changed. */
export async function regenerateNewsSitemap(deps: PublishingDeps, manifest: Manifest): Promise<NewsSitemapResult> {
  const { articles, unreadable } = await readNewsSitemapArticles(deps);
  const body = NEWS_SITEMAP.render(deps.config, articles);
  const hash = documentHash(body);
  const changed = manifest[NEWS_SITEMAP.path] !== hash;
  if (changed) {
    await deps.documents.put({ path: NEWS_SITEMAP.path, contentType: NEWS_SITEMAP.contentType, body, cacheControl: NEWS_SITEMAP.cacheControl(deps.config) });
    await deps.cdn.invalidate([NEWS_SITEMAP.path]);
  }
  return { items: newsSitemapArticles(articles).length, changed, unreadable, manifest: { [NEWS_SITEMAP.path]: hash }, archivePages: [] };
}

/**
 * Publishes the news sitemap after changes, ordered like a feed (its own state item and lease):
 * a render that started before the last change is never the last one written.
 */
export async function publishNewsSitemap(deps: CoordinatedPublishingDeps): Promise<LeasedOutcome<NewsSitemapResult>> {
  return publishUnderLease(NEWS_SITEMAP_KEY, deps, [], (_state, manifest) => regenerateNewsSitemap(deps, manifest));
}
