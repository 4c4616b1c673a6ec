import { forEachConcurrently } from '../concurrency.js';
import type { ArticleIndex, IndexedArticle } from '../storage/index.js';

export interface BackfillReport {
  /** Articles stored. */
  scanned: number;
  /** Articles whose feed entries were rewritten by the current rules. */
  reindexed: number;
  /** Articles changed by a concurrent write meanwhile (that write set their entries). */
  skipped: number;
}

/** Rewrites at once, not a thundering herd. */
const CONCURRENCY = 8;

/**
 * Fills the feeds that came into being since the stored articles were written (a new tag or author
 * feed, automatic feeds turned on, a tag or section added to the configuration) and empties those
 * that went away: every article whose entries were written under other membership rules (its
 * `indexedWith` differs from the current signature) gets its entries rewritten, in one transaction
 * with its unchanged item, only if it is still the version read. Each rewrite is a change on the
 * table's stream with old and new image, so the ordinary regeneration publishes exactly the feeds
 * it touched. Idempotent: a second run finds nothing to do.
 */
export async function backfillFeeds(index: ArticleIndex): Promise<BackfillReport> {
  const report: BackfillReport = { scanned: 0, reindexed: 0, skipped: 0 };
  const signature = index.membershipSignature;
  for await (const page of index.scanArticles()) {
    report.scanned += page.length;
    // A retracted article without entries belongs in no feed under any rules: nothing to rewrite.
    const behind: IndexedArticle[] = page.filter((a) => a.indexedWith !== signature && (a.article.status === 'published' || a.entries.length > 0));
    await forEachConcurrently(behind, CONCURRENCY, async (article) => {
      if ((await index.reindex(article)) === 'reindexed') report.reindexed += 1;
      else report.skipped += 1;
    });
  }
  return report;
}
