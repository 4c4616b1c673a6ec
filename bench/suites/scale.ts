/**
 * 2. Scale: regenerating a 50-item section when the table holds 1,000 vs 100,000 articles (other
 * sections and older items of the same section). Two tables, seeded with BatchWriteItem in
 * ArticleStore's item shapes, measured alternately so background load falls on both alike.
 */
import type { Article } from '../../lambdas/core/article/index.js';
import { createArticleTable } from '../../lambdas/adapters/aws/articleTable.js';
import { SECTION_FEEDS_ONLY } from '../../lambdas/adapters/aws/dynamoArticleRepository.js';
import { createPublishingDeps } from '../../lambdas/adapters/aws/publishingDeps.js';
import { sectionTarget } from '../../lambdas/core/feeds/index.js';
import { regenerateFeed, type Manifest } from '../../lambdas/core/publish/index.js';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { benchConfig, benchRecord, toArticles, variant } from '../lib/fixtures.js';
import { instrumentDynamo } from '../lib/instrument.js';
import type { LocalServers } from '../lib/localStack.js';
import { atMost, metric, type SuiteResult } from '../lib/result.js';
import { batchWriteItems, storeItems, type BatchWriteStats } from '../lib/seed.js';
import { round, roundSummary, summarize } from '../lib/stats.js';
import { progress } from '../lib/progress.js';

export const SCALE_RATIO_TARGET = 1.2;
/** Bodies of the archive items: short, so 100,000 articles seed in about a minute. */
const ARCHIVE_BODY_BYTES = 500;
const FEED_ITEMS = 50;

export async function scaleSuite(servers: LocalServers, options: { quick: boolean }): Promise<SuiteResult> {
  const started = performance.now();
  const small = options.quick ? 300 : 1_000;
  const large = options.quick ? 1_000 : 100_000;
  const runs = options.quick ? 5 : 25;
  const config = benchConfig(FEED_ITEMS);
  const [international, ...others] = config.sections;
  const section = international!;
  const clients = servers.clients();
  // Section entries only: a section feed's Query reads its own partition, whatever other feeds hold (and seeding 100,000 stays near a minute).
  const store = { membership: SECTION_FEEDS_ONLY };

  // The section's feed: its 60 newest articles, full ~3.4 KB bodies, published in 2025.
  const newest = toArticles(
    config,
    Array.from({ length: 60 }, (_, i) => benchRecord({ n: i + 1, section: section.name, prefix: 'scale', publishedAtMs: Date.parse('2025-06-01T00:00:00Z') + i * 60_000 })),
  );
  // The archive: older items of the section and everything of the other sections, before 2025.
  const templates = toArticles(config, Array.from({ length: 30 }, (_, i) => benchRecord({ n: 1000 + i, prefix: 'tpl', bodyBytes: ARCHIVE_BODY_BYTES })));
  const archive = (from: number, to: number): Article[] => {
    const out: Article[] = [];
    for (let i = from; i < to; i++) {
      const target = i % 3 === 0 ? section : others[i % others.length]!;
      out.push(variant(templates[i % templates.length]!, `archive-${i}`, Date.parse('2015-01-01T00:00:00Z') + i * 60_000, target.slug, target.name));
    }
    return out;
  };

  const setups: { articles: number; table: string; bucket: string; seed: BatchWriteStats[] }[] = [];
  for (const articles of [small, large]) {
    const table = servers.uniqueName(`scale-${articles}`);
    const bucket = servers.uniqueName('scale-feeds');
    await createArticleTable(clients.dynamo, table);
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const setup = { articles, table, bucket, seed: [] as BatchWriteStats[] };
    // Chunks of 10,000: the next chunk's items are prepared while the current one is written.
    const chunks: Article[][] = [newest];
    for (let from = 0; from < articles - newest.length; from += 10_000) chunks.push(archive(from, Math.min(from + 10_000, articles - newest.length)));
    let prepared = storeItems(chunks[0]!, store);
    for (let i = 0; i < chunks.length; i++) {
      const items = await prepared;
      if (i + 1 < chunks.length) prepared = storeItems(chunks[i + 1]!, store);
      setup.seed.push(await batchWriteItems(clients.dynamo, table, items, 8));
    }
    setups.push(setup);
    progress(`scale: seeded ${articles.toLocaleString('en')} articles in ${(setup.seed.reduce((s, x) => s + x.ms, 0) / 1000).toFixed(1)} s`);
  }

  // Each setup with its own instrumented client, so units are counted per table size.
  const measured = setups.map((setup) => {
    const c = servers.clients();
    const counters = instrumentDynamo(c.dynamo);
    const deps = createPublishingDeps(c, { config, tableName: setup.table, bucket: setup.bucket, feedBaseUrl: 'https://feeds.news.test.example', leaseTtlMs: 10_000, maxWaitMs: 10_000, archive: false });
    return { ...setup, deps, counters, manifest: {} as Manifest, regenMs: [] as number[], queryMs: [] as number[] };
  });
  const target = sectionTarget(config, section.slug);
  // A regeneration compares with what the previous one published (its manifest), as publishFeed does.
  const regenerate = async (m: (typeof measured)[number]) => {
    const result = await regenerateFeed(target, m.deps, { slots: 0, pages: [], manifest: m.manifest });
    m.manifest = result.manifest;
    return result;
  };
  // First regeneration writes the feeds; both tables must render the very same feed.
  for (const m of measured) await regenerate(m);
  const hashes = measured.map((m) => m.manifest[`${target.basePath}/atom.xml`]);
  if (hashes[0] !== hashes[1]) throw new Error('scale: the two tables render different feeds');

  // Warm-up, then alternate: small, large, large, small, ...
  for (const m of measured) for (let i = 0; i < 3; i++) await regenerate(m);
  for (const m of measured) m.counters.reset();
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? measured : [...measured].reverse();
    for (const m of order) {
      let t = performance.now();
      const result = await regenerate(m);
      m.regenMs.push(performance.now() - t);
      if (result.items !== FEED_ITEMS || result.changedPaths.length !== 0) throw new Error(`scale: unexpected regeneration ${JSON.stringify(result)}`);
      t = performance.now();
      await m.deps.store.readEntries(target.entryPartition, FEED_ITEMS);
      m.queryMs.push(performance.now() - t);
    }
  }
  const [s, l] = measured.map((m) => ({
    regen: summarize(m.regenMs),
    query: summarize(m.queryMs),
    units: m.counters.snapshot(),
  }));
  const ratio = l!.regen.p50 / s!.regen.p50;
  const queryRatio = l!.query.p50 / s!.query.p50;
  const seedSeconds = measured.map((m) => m.seed.reduce((sum, x) => sum + x.ms, 0) / 1000);
  const label = (n: number) => n.toLocaleString('en');
  const metrics = [
    metric('scale.regen.small', `regenerate 50-item section, ${label(small)} articles in table, p50 (p95 ${round(s!.regen.p95)} ms)`, round(s!.regen.p50), 'ms'),
    metric('scale.regen.large', `regenerate 50-item section, ${label(large)} articles in table, p50 (p95 ${round(l!.regen.p95)} ms)`, round(l!.regen.p50), 'ms'),
    metric('scale.ratio', `scale ratio ${label(large)} / ${label(small)} articles (regeneration p50)`, round(ratio), '×', atMost(SCALE_RATIO_TARGET, '×')),
    metric('scale.query.ratio', `the section Query alone: ${round(l!.query.p50)} / ${round(s!.query.p50)} ms (p50)`, round(queryRatio), '×'),
  ];
  const perQuery = (u: typeof s) => (u!.units.unitsByCommand['QueryCommand']?.read ?? 0) / (2 * runs);
  return {
    id: 'scale',
    title: '2. Scale (archive size vs regeneration time)',
    seconds: (performance.now() - started) / 1000,
    metrics,
    details: {
      tables: measured.map((m, i) => ({
        articles: m.articles,
        seedSeconds: round(seedSeconds[i]!),
        seedArticlesPerSecond: round(m.articles / seedSeconds[i]!),
        items: m.seed.reduce((sum, x) => sum + x.items, 0),
      })),
      runs,
      small: { regenerationMs: roundSummary(s!.regen), queryMs: roundSummary(s!.query), readUnitsPerQuery: round(perQuery(s)) },
      large: { regenerationMs: roundSummary(l!.regen), queryMs: roundSummary(l!.query), readUnitsPerQuery: round(perQuery(l)) },
      ratioP50: round(ratio),
      ratioP95: round(l!.regen.p95 / s!.regen.p95),
      queryRatioP50: round(queryRatio),
    },
    notes: [
      `Two tables in one DynamoDB Local: ${label(small)} and ${label(large)} articles (an article item plus a section entry each, no tag or author entries: they are other partitions, which a section's Query does not read). The International section's 60 newest articles carry ~3.4 KB bodies; the archive (older International items and the Business and Science sections, 1/3 and 2/3) carries ~${ARCHIVE_BODY_BYTES} B bodies so that seeding stays near a minute. A Query reads only the items it returns, so archive item size does not enter it on AWS.`,
      `A regeneration is regenerateFeed(): one strongly consistent Query for the newest 50 entries, rendering every document of the feed, and a comparison with the previous run's manifest (no S3 read; the feeds are unchanged, so no PUT). ${runs} runs per table, alternating tables; the Query alone is timed too.`,
      'Both tables render byte-identical feeds (checked), so the only difference is the archive.',
    ],
  };
}
