/**
 * 4. Coalescing: a burst of 500 changes to one section, through the local server, counted at the
 * SDK: regenerations, S3 PUTs (and any PUT of unchanged bytes), bytes uploaded, the invalidation
 * paths regeneration would request (exactly its changed paths), DynamoDB units. Run with the local
 * poller's defaults and with the stack's event source settings; then the same 500 records again
 * (a no-op re-post: nothing may be rendered or uploaded).
 */
import { deployConfigSchema } from '../../lib/config/deployConfig.js';
import { benchConfig, benchRecord, toArticles } from '../lib/fixtures.js';
import { extraFeedRenders, renders, startBenchPublisher, type PollerSettings } from '../lib/publisher.js';
import type { LocalServers } from '../lib/localStack.js';
import { atMost, metric, type Metric, type SuiteResult } from '../lib/result.js';
import { round } from '../lib/stats.js';
import { LOCAL_POLLER } from './freshness.js';
import { progress } from '../lib/progress.js';

export const MAX_REGENERATIONS_PER_BURST = 10;
/** Records per POST, as the operator's ingest command sends them by default. */
const RECORDS_PER_REQUEST = 100;

export interface BurstFigures {
  changes: number;
  ingestRequests: number;
  regenerations: number;
  invocations: number;
  regenerationMsTotal: number;
  /** Feed renders of every kind: the section's (regenerations) and its tag and author feeds'. */
  feedRenders: number;
  /** Distinct `/{top}/{feed}/*` folders among the invalidation paths (opt-in invalidation sends one wildcard each). */
  wildcardPaths: number;
  puts: number;
  unchangedPuts: number;
  putBytes: number;
  heads: number;
  invalidationPaths: number;
  /** DynamoDB units of everything (ingest, section state, entry Queries). */
  readUnits: number;
  writeUnits: number;
  /** Of the write units, those of TransactWriteItems (as AWS bills them: twice each item's units, from the item sizes). */
  transactWriteUnits: number;
  seconds: number;
}

async function burstRun(servers: LocalServers, poller: PollerSettings, BURST: number): Promise<{ burst: BurstFigures; repost: BurstFigures; calls: unknown }> {
  const per = Math.min(RECORDS_PER_REQUEST, BURST);
  const REQUESTS = Math.ceil(BURST / per);
  const SEEDED = BURST + 100;
  const config = benchConfig(50);
  const section = config.sections[0]!;
  const publishedAt = (n: number) => Date.parse('2025-06-01T00:00:00Z') + n * 60_000;
  const seed = toArticles(config, Array.from({ length: SEEDED }, (_, i) => benchRecord({ n: i + 1, section: section.name, prefix: 'burst', publishedAtMs: publishedAt(i + 1) })));
  const bench = await startBenchPublisher(servers, config, seed, poller);
  try {
    const now = Date.now();
    // 250 edits (every other seeded article: the feed's and the archive's) and 250 new articles.
    const records = [
      ...Array.from({ length: BURST / 2 }, (_, i) => {
        const n = SEEDED - 2 * i;
        return benchRecord({ n, section: section.name, prefix: 'burst', publishedAtMs: publishedAt(n), updatedAtMs: now + i });
      }),
      ...Array.from({ length: BURST / 2 }, (_, i) => benchRecord({ n: SEEDED + 1 + i, section: section.name, prefix: 'burst', publishedAtMs: now - 3_600_000 + i * 1000 })),
    ];
    const send = async () => {
      bench.dynamo.reset();
      bench.s3.reset();
      bench.invocations.length = 0;
      bench.invalidations.length = 0;
      const pollerBefore = { ...bench.publisher.poller.stats };
      const t = performance.now();
      const responses = await Promise.all(Array.from({ length: REQUESTS }, (_, r) => bench.post(records.slice(r * per, (r + 1) * per))));
      await bench.publisher.poller.settle();
      const seconds = (performance.now() - t) / 1000;
      for (const res of responses) if (res.status !== 200) throw new Error(`burst POST: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
      const statuses = responses.flatMap((res) => (res.json as { results: { status: string }[] }).results.map((r) => r.status));
      const dyn = bench.dynamo.snapshot();
      const s3 = bench.s3.snapshot();
      const figures: BurstFigures = {
        changes: statuses.filter((s) => s === 'stored').length,
        ingestRequests: REQUESTS,
        regenerations: renders(dyn),
        invocations: bench.invocations.length,
        regenerationMsTotal: bench.invocations.reduce((sum, inv) => sum + inv.ms, 0),
        feedRenders: renders(dyn) + extraFeedRenders(dyn),
        wildcardPaths: new Set(bench.invalidations.map((p) => p.replace(/^\/+/, '').split('/').slice(0, 2).join('/'))).size,
        puts: s3.calls['PutObjectCommand'] ?? 0,
        unchangedPuts: s3.unchangedPuts,
        putBytes: s3.putBytes,
        heads: s3.calls['HeadObjectCommand'] ?? 0,
        invalidationPaths: bench.invalidations.length,
        readUnits: dyn.readUnits,
        writeUnits: dyn.writeUnits,
        transactWriteUnits: dyn.unitsByCommand['TransactWriteItemsCommand']?.write ?? 0,
        seconds,
      };
      const poller = Object.fromEntries(Object.entries(bench.publisher.poller.stats).map(([k, v]) => [k, v - (pollerBefore[k as keyof typeof pollerBefore] ?? 0)]));
      // Where the invalidation paths go, by kind: the last path segment with digits and ids folded.
      const invalidatedKinds: Record<string, number> = {};
      for (const p of bench.invalidations) {
        const kind = p.replace(/^\/?feeds\/[^/]+\//, '{feed}/').replace(/[a-z]+-\d+/g, '{id}').replace(/\d+/g, '{n}');
        invalidatedKinds[kind] = (invalidatedKinds[kind] ?? 0) + 1;
      }
      return { figures, statuses, calls: { dynamo: dyn.calls, dynamoErrors: dyn.errors, s3: s3.calls, streamPoller: poller, invalidatedKinds } };
    };
    const first = await send();
    progress(`coalescing: burst (window ${poller.batchingWindowMs} ms) done in ${first.figures.seconds.toFixed(1)} s`);
    if (first.figures.changes !== BURST) throw new Error(`burst: stored ${first.figures.changes} of ${BURST}: ${[...new Set(first.statuses)]}`);
    // The served feed now holds the 50 newest of the new articles.
    const feed = (await (await fetch(`${bench.publisher.url}/feeds/${section.slug}/feed.json`)).json()) as { items: { id: string }[] };
    const expected = `tag:${config.itemIdAuthority}:article/burst-${SEEDED + BURST / 2}`;
    if (feed.items[0]?.id !== expected) throw new Error(`burst: feed starts with ${feed.items[0]?.id}, expected ${expected}`);
    const again = await send();
    if (again.statuses.some((s) => s !== 'unchanged')) throw new Error(`re-post: ${[...new Set(again.statuses)]}`);
    return { burst: first.figures, repost: again.figures, calls: first.calls };
  } finally {
    await bench.close();
  }
}

export async function coalescingSuite(servers: LocalServers, options: { quick: boolean }): Promise<SuiteResult & { stack?: BurstFigures }> {
  const BURST = options.quick ? 50 : 500;
  const started = performance.now();
  const deployDefaults = deployConfigSchema.parse({}).regeneration;
  const STACK_POLLER: PollerSettings = { batchingWindowMs: deployDefaults.batchingWindowSeconds * 1000, batchSize: deployDefaults.batchSize, pollIntervalMs: LOCAL_POLLER.pollIntervalMs };
  // Full: the stack's settings (what the cost model and the target are about). Quick: the local
  // poller's defaults on a smaller burst (the stack's 5 s window alone would take a tenth of the minute).
  const local = options.quick ? await burstRun(servers, LOCAL_POLLER, BURST) : undefined;
  const stack = options.quick ? undefined : await burstRun(servers, STACK_POLLER, BURST);
  const target = atMost(MAX_REGENERATIONS_PER_BURST, 'regenerations');
  const zero = atMost(0, 'PUTs', '0');
  const rows = (key: string, name: string, r: { burst: BurstFigures; repost: BurstFigures }): Metric[] => [
    metric(`coalescing.${key}.regenerations`, `${BURST}-change burst, ${name}: regenerations of the section feed (${r.burst.invocations} invocations)`, r.burst.regenerations, 'regenerations', target),
    metric(`coalescing.${key}.extraFeedRenders`, `${BURST}-change burst, ${name}: renders of its tag and author feeds (each feed rendered about once per invocation)`, r.burst.feedRenders - r.burst.regenerations, 'renders'),
    metric(`coalescing.${key}.puts`, `${BURST}-change burst, ${name}: S3 PUTs (${round(r.burst.putBytes / 1024)} KiB uploaded)`, r.burst.puts, 'PUTs'),
    metric(`coalescing.${key}.unchangedPuts`, `${BURST}-change burst, ${name}: uploads of unchanged bytes`, r.burst.unchangedPuts, 'PUTs', zero),
    metric(`coalescing.${key}.invalidationPaths`, `${BURST}-change burst, ${name}: invalidation paths requested`, r.burst.invalidationPaths, 'paths'),
  ];
  const metrics = [
    ...(local ? rows('local', `local poller (window ${LOCAL_POLLER.batchingWindowMs} ms, batch ${LOCAL_POLLER.batchSize})`, local) : []),
    ...(stack ? rows('stack', `stack settings (window ${STACK_POLLER.batchingWindowMs! / 1000} s, batch ${STACK_POLLER.batchSize})`, stack) : []),
    metric(
      'coalescing.repost.operations',
      `identical re-post of the ${BURST} records: regenerations + PUTs`,
      [stack, local].reduce((sum, r) => sum + (r ? r.repost.regenerations + r.repost.puts : 0), 0),
      'operations',
      atMost(0, 'operations', '0'),
    ),
  ];
  const rounded = (f: BurstFigures) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, round(v)]));
  return {
    id: 'coalescing',
    title: `4. Coalescing (a burst of ${BURST} changes to one section)`,
    seconds: (performance.now() - started) / 1000,
    metrics,
    ...(stack && { stack: stack.burst }),
    details: {
      ...(local && { localPoller: { settings: LOCAL_POLLER, burst: rounded(local.burst), repost: rounded(local.repost), calls: local.calls } }),
      ...(stack && { stackSettings: { settings: STACK_POLLER, burst: rounded(stack.burst), repost: rounded(stack.repost), calls: stack.calls } }),
    },
    notes: [
      `The burst: ${BURST} records for the International section (${BURST / 2} edits of stored articles, the feed's and older ones, and ${BURST / 2} new articles), sent as ${Math.ceil(BURST / Math.min(RECORDS_PER_REQUEST, BURST))} POST /articles of up to ${RECORDS_PER_REQUEST} records at once (the ingest command's default batch), on a table holding ${BURST + 100} articles of the section.`,
      `The full run uses the stack's event source settings (deploy.regeneration: batching window ${deployDefaults.batchingWindowSeconds} s, batch size ${deployDefaults.batchSize}); the quick run the local poller's defaults (window ${LOCAL_POLLER.batchingWindowMs} ms) on a smaller burst.`,
      'The local poller counts the batch size over all stream records before filtering, and every stored change writes several (the article item and its entry in each of its feeds: section, tags, authors, which the filter drops), so a batch carries fewer changes than its size. Lambda applies filter criteria per record as well; whether filtered records count toward BatchSize there was not verified here.',
      'A regeneration (render) is one regenerateFeed() run, counted as the Query on the feed\'s entry partition it makes; the lease in publishFeed lets one render cover several invocations. Unchanged uploads are detected at the SDK: a PutObject whose bytes hash to the object\'s previous bytes. Invalidation paths are what the publish path hands to the CDN invalidator (CloudFront on AWS; counted locally).',
    ],
  };
}
