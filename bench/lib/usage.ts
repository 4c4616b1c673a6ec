/**
 * Usage per change, in billable units, from what the suites measured: a model of single changes
 * (edits, new articles; one at a time or a few per batching window) and the measured burst.
 */
import type { BurstFigures } from '../suites/coalescing.js';
import { billedMs, type PerChangeUsage } from './cost.js';
import type { PerChange } from './perChange.js';

/** What scheduled articles add to every change, at their stated share of changes. */
export type ScheduledUsage = Pick<PerChangeUsage, 'schedulerInvocations' | 'scheduledSqsRequests'> & Partial<Pick<PerChangeUsage, 'sqsMessages'>>;

/**
 * The usage model of one kind of single change (edits, or new articles) as the freshness suite
 * measured it: `changes` changes handled by one invocation that renders the section once and
 * `extraFeeds` tag/author feeds.
 */
export function usageModel(measured: PerChange, scheduled: ScheduledUsage) {
  const units = measured.units;
  // A single change is one regeneration invocation that renders its section and the tag and author
  // feeds the article is in (measured: 1 + extraFeeds feed renders per invocation).
  const sectionInvocations = Math.max(1e-9, measured.invocations);
  const measuredFeedRenders = 1 + measured.extraFeeds;
  /** Billed regeneration time per feed render: the measured invocation shared evenly by the feeds it rendered. */
  const msPerFeedRender = billedMs(measured.regenerationMs) / measuredFeedRenders;
  const perInvocationPuts = (measured.sectionPuts - measured.perArticlePuts) / sectionInvocations;
  /**
   * A tag or author feed render: as measured when the bench's site has such feeds, else what the
   * section's public folder took (its feeds and page: the very documents a tag or author feed has).
   */
  const perExtraFeedPuts = measured.extraFeeds > 0 ? measured.extraFeedPuts / measured.extraFeeds : measured.publicFeedPuts / sectionInvocations;
  /**
   * DynamoDB units are taken by what they scale with (bench/lib/perChange.ts unitsSplit): per
   * article (ingest, archive slots), per invocation (the section's reads and state, registry, site
   * and sitemap state), per tag or author feed render. Transactions are counted as AWS bills them
   * (twice each item's write units, computed from the items: bench/lib/itemSize.ts).
   */
  return (changes: number, extraFeeds: number, ingestMsPerChange: number, ingestRequestsPerChange: number): PerChangeUsage => ({
    ingestRequests: ingestRequestsPerChange,
    ingestLambdaMs: ingestMsPerChange,
    regenerationInvocations: 1 / changes,
    regenerationLambdaMs: (msPerFeedRender * (1 + extraFeeds)) / changes,
    feedRenders: (1 + extraFeeds) / changes,
    writeUnits: units.perArticle.write + (units.perInvocation.write + units.perExtraFeed.write * extraFeeds) / changes,
    readUnits: units.perArticle.read + (units.perInvocation.read + units.perExtraFeed.read * extraFeeds) / changes,
    s3Puts: measured.perArticlePuts + (perInvocationPuts + perExtraFeedPuts * extraFeeds) / changes,
    s3Heads: measured.heads / sectionInvocations / changes,
    invalidationPaths: 0,
    optInInvalidationPaths: (measured.wildcardPaths + extraFeeds) / changes,
    sqsMessages: 0,
    ...scheduled,
    putBytes: measured.putBytes / changes,
  });
}

/** `share` of one usage and the rest of the other, field by field. */
export function mixed(a: PerChangeUsage, b: PerChangeUsage, shareOfA: number): PerChangeUsage {
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v * shareOfA + (b[k as keyof PerChangeUsage] as number) * (1 - shareOfA)])) as unknown as PerChangeUsage;
}

/** The 500-change burst as the coalescing suite measured it with the stack's settings (not modelled). */
export const burstUsage = (b: BurstFigures, scheduled: ScheduledUsage, ingestMsPerChange: number, ingestRequestsPerChange: number): PerChangeUsage => ({
  ingestRequests: ingestRequestsPerChange,
  ingestLambdaMs: ingestMsPerChange,
  regenerationInvocations: b.invocations / b.changes,
  regenerationLambdaMs: b.regenerationMsTotal / b.changes,
  feedRenders: b.feedRenders / b.changes,
  writeUnits: b.writeUnits / b.changes,
  readUnits: b.readUnits / b.changes,
  s3Puts: b.puts / b.changes,
  s3Heads: b.heads / b.changes,
  invalidationPaths: 0,
  optInInvalidationPaths: b.wildcardPaths / b.changes,
  sqsMessages: 0,
  ...scheduled,
  putBytes: b.putBytes / b.changes,
});
