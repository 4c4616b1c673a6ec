import { describe, expect, it } from 'vitest';
import { cacheControlFor, EDGE_WORST_CASE_STALENESS_SECONDS } from '../../../lambdas/core/publish/cachePolicy.js';
import { BudgetedInvalidator, budgetMonth, folderWildcards, type PathBudget } from '../../../lambdas/core/publish/invalidationBudget.js';

/** A budget that counts like the DynamoDB one (all or nothing per reservation). */
function memoryBudget(monthly: number): PathBudget & { used: Map<string, number> } {
  const used = new Map<string, number>();
  return {
    used,
    async reserve(paths, now) {
      const month = budgetMonth(now);
      const sofar = used.get(month) ?? 0;
      if (sofar + paths > monthly) return false;
      used.set(month, sofar + paths);
      return true;
    },
  };
}

describe('invalidation under a monthly path budget', () => {
  it('one wildcard per changed feed folder; tag, author and partner folders; top-level documents as themselves', () => {
    expect(
      folderWildcards([
        'feeds/international/rss.xml',
        'feeds/international/atom.xml',
        'feeds/international/archive/rss-0.xml',
        'feeds/tags/kursk/feed.json',
        'feeds/authors/iie-digital-desk/index.html',
        'partners/international/ninjs/a-1.json',
        'feeds/index.html',
        'sitemaps/news.xml',
      ]),
    ).toEqual(['/feeds/authors/iie-digital-desk/*', '/feeds/index.html', '/feeds/international/*', '/feeds/tags/kursk/*', '/partners/international/*', '/sitemaps/news.xml']);
  });

  it('sends the coalesced paths while they fit, then nothing for the rest of the month; a new month starts again', async () => {
    const sent: string[][] = [];
    const over: string[][] = [];
    let now = new Date('2026-12-30T10:00:00Z');
    const budget = memoryBudget(5);
    const cdn = new BudgetedInvalidator({ invalidate: async (p) => void sent.push(p) }, budget, { onOverBudget: (p) => over.push(p), now: () => now });
    const change = ['feeds/international/rss.xml', 'feeds/international/feed.json', 'partners/international/rss.xml'];
    await cdn.invalidate(change); // 2 paths
    await cdn.invalidate(change); // 4
    await cdn.invalidate(change); // would be 6 > 5: skipped whole
    await cdn.invalidate([]); // nothing changed: nothing reserved
    expect(sent).toEqual([['/feeds/international/*', '/partners/international/*'], ['/feeds/international/*', '/partners/international/*']]);
    expect(over).toEqual([['/feeds/international/*', '/partners/international/*']]);
    expect(budget.used.get('2026-12')).toBe(4);
    now = new Date('2027-01-01T00:00:01Z');
    await cdn.invalidate(change);
    expect(sent).toHaveLength(3);
    expect(budget.used.get('2027-01')).toBe(2);
  });

  it('feeds carry a few seconds of edge lifetime, readers keep max-age; only unchanging documents are long-lived', () => {
    const config = { feedMaxAgeSeconds: 60 };
    for (const kind of ['subscriptionFeed', 'feedPage', 'siteDocument'] as const) {
      expect(cacheControlFor(kind, config)).toBe('public, max-age=60, s-maxage=3, stale-while-revalidate=2, stale-if-error=86400');
    }
    expect(cacheControlFor('fullArchivePage', config)).toBe('public, max-age=86400, s-maxage=300, stale-while-revalidate=60, stale-if-error=604800');
    expect(cacheControlFor('stylesheet', config)).toBe('public, max-age=86400, s-maxage=300, stale-while-revalidate=60');
    expect(cacheControlFor('partnerDocument', config)).toBe('private, max-age=60');
    expect(EDGE_WORST_CASE_STALENESS_SECONDS).toBe(10);
  });
});
