import { KEY, STATE_PK_PREFIX } from '../storage/keys.js';
import type { CdnInvalidator } from './invalidator.js';

/**
 * Paid CloudFront invalidation, opt-in (cdk.json `deploy.cdnInvalidation`), under a monthly path
 * budget: the changed documents of a regeneration become one wildcard per feed folder
 * (`/feeds/international/*`, `/feeds/tags/kursk/*`, `/partners/international/*`), and a
 * regeneration invalidates only if the month's counter can take all of its paths. Past the budget
 * nothing is invalidated and the short edge lifetime of cachePolicy.ts brings the change out.
 */

/** Path segments that make a feed folder: `feeds/{slug}`, `feeds/tags|authors/{slug}`, `partners/{slug}`. */
function folderDepth(segments: string[]): number {
  if (segments[0] === 'feeds' && (segments[1] === 'tags' || segments[1] === 'authors')) return 3;
  return 2;
}

/**
 * Invalidation paths for changed object keys: one `/{folder}/*` per feed folder, exact paths for
 * top-level documents (`/feeds/index.html`, `/sitemaps/news.xml`), sorted and without duplicates.
 */
export function folderWildcards(paths: string[]): string[] {
  const out = new Set<string>();
  for (const path of paths) {
    const segments = path.replace(/^\/+/, '').split('/');
    const depth = folderDepth(segments);
    out.add(segments.length > depth ? `/${segments.slice(0, depth).join('/')}/*` : `/${segments.join('/')}`);
  }
  return [...out].sort();
}

/** A monthly count of invalidation paths. */
export interface PathBudget {
  /** Takes `paths` from the month's budget; false (and nothing taken) when they do not fit. */
  reserve(paths: number, now: Date): Promise<boolean>;
}

/** Month of a date in UTC, `2026-12`: CloudFront's free allowance is per calendar month. */
export const budgetMonth = (now: Date) => now.toISOString().slice(0, 7);

/** The budget's counter: one item per month on the table, pk `STATE#cdn-invalidation#2026-12` (regeneration may write STATE#). */
export const budgetKey = (month: string) => ({ [KEY.partition]: { S: `${STATE_PK_PREFIX}cdn-invalidation#${month}` }, [KEY.sort]: { S: 'BUDGET' } });

export interface BudgetedInvalidatorOptions {
  /** Told when a regeneration's paths did not fit (the edge lifetime then does the work). */
  onOverBudget?: (paths: string[]) => void;
  now?: () => Date;
}

/** Coalesces changed keys into folder wildcards and sends them only within the month's budget. */
export class BudgetedInvalidator implements CdnInvalidator {
  constructor(
    private readonly cdn: CdnInvalidator,
    private readonly budget: PathBudget,
    private readonly options: BudgetedInvalidatorOptions = {},
  ) {}

  async invalidate(paths: string[]): Promise<void> {
    const wildcards = folderWildcards(paths);
    if (wildcards.length === 0) return;
    if (!(await this.budget.reserve(wildcards.length, (this.options.now ?? (() => new Date()))()))) {
      this.options.onOverBudget?.(wildcards);
      return;
    }
    await this.cdn.invalidate(wildcards);
  }
}
