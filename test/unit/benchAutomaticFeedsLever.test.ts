import { describe, expect, it } from 'vitest';
import { automaticFeedsLever, monthlyCost, mostFeedsWithin } from '../../bench/lib/cost.js';
import type { PerChange } from '../../bench/lib/perChange.js';
import { PRICES } from '../../bench/lib/pricing.js';
import { leverText } from '../../bench/lib/report.js';
import { usageModel } from '../../bench/lib/usage.js';

/** A series of single changes as the freshness suite reports it: one invocation each, 1 section + 2 tag/author feeds. */
const measured: PerChange = {
  regenerations: 3,
  invocations: 1,
  regenerationMs: 90,
  puts: 20,
  putBytes: 100_000,
  heads: 0,
  unchangedPuts: 0,
  invalidationPaths: 0,
  wildcardPaths: 3,
  readUnits: 60,
  writeUnits: 30,
  transactWriteUnits: 10,
  sectionPuts: 12,
  perArticlePuts: 1,
  publicFeedPuts: 4,
  extraFeedPuts: 8,
  extraFeeds: 2,
  units: { perArticle: { read: 1, write: 10 }, perInvocation: { read: 20, write: 6 }, perExtraFeed: { read: 20, write: 7 } },
};
const memory = { ingestMb: 1024, regenerationMb: 1024 };
const scheduled = { schedulerInvocations: 0, scheduledSqsRequests: 0 };
const costWith = (feeds: number) => monthlyCost('lever', usageModel(measured, scheduled)(1, feeds, 7, 1), 10_000, memory).totalUsd;

describe('bench: what automatic tag and author feeds per change cost', () => {
  it('prices every count from none to the stated story with the same model', () => {
    const rows = automaticFeedsLever(costWith, 5);
    expect(rows.map((r) => r.automaticFeeds)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const r of rows) expect(r.totalUsd).toBe(costWith(r.automaticFeeds));
  });

  it('adds, per feed, its four documents, its DynamoDB units and its share of the regeneration time', () => {
    const rows = automaticFeedsLever(costWith, 5);
    const changes = 10_000 * 30;
    // Per automatic feed: 4 PUTs, 20 RRU and 7 WRU, and a third of the 90 ms invocation (it rendered 3 feeds).
    const perFeed =
      ((4 * changes) / 1000) * PRICES.s3.perThousandPut +
      ((20 * changes) / 1e6) * PRICES.dynamodb.perMillionReadRequestUnits +
      ((7 * changes) / 1e6) * PRICES.dynamodb.perMillionWriteRequestUnits +
      ((30 / 1000) * changes) * PRICES.lambda.perGbSecondArm64;
    for (let k = 1; k < rows.length; k++) expect(rows[k]!.totalUsd - rows[k - 1]!.totalUsd).toBeCloseTo(perFeed, 1);
    expect(perFeed).toBeGreaterThan(6);
  });

  it('names the most feeds per change that stay within the budget, or none', () => {
    const rows = [0, 1, 2, 3].map((automaticFeeds) => ({ automaticFeeds, totalUsd: 30 + 7 * automaticFeeds }));
    expect(mostFeedsWithin(rows, 40)).toBe(1);
    expect(mostFeedsWithin(rows, 51)).toBe(3);
    expect(mostFeedsWithin(rows, 29.99)).toBeUndefined();
  });

  it('says in the report what the budget allows, or that nothing does, and nothing for a run that did not price it', () => {
    const rows = [0, 1, 2].map((automaticFeeds) => ({ automaticFeeds, totalUsd: 30 + 7 * automaticFeeds }));
    const text = leverText({ changesPerDay: 10_000, budgetUsd: 40, rows });
    expect(text).toContain('(0: $30.00, 1: $37.00, 2: $44.00)');
    expect(text).toContain('$40 a month holds with at most 1 automatic feed per change (e.g. automaticFeeds.tags.maxPerArticle 1');
    expect(leverText({ changesPerDay: 10_000, budgetUsd: 25, rows })).toContain('not even a change in no automatic feed stays within $25');
    expect(leverText(undefined)).toBe('');
  });
});
