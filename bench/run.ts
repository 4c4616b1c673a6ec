/**
 * `npm run bench` — how fast, how cheap, and how cost grows (issue 7).
 *
 *   npm run bench                   full run (< 10 min on the 2-core box): bench/results.json + bench/RESULTS.md
 *   npm run bench -- --quick        smoke run (< 1 min): smaller samples, bench/results.local.json only
 *   npm run bench -- --only render,coldStart   some suites only (results.local.json)
 *   npm run bench -- --only coldStart,cost     bundles and the cost model (cost = ingest, freshness, coalescing)
 *   npm run bench -- --out FILE     write the JSON there instead
 *   npm run bench -- --report-only  rewrite RESULTS.md from results.json
 *
 * Suites: render, coldStart (no servers), then on one DynamoDB Local + s3rver: ingest, scale,
 * freshness, coalescing; finally the monthly cost model. See bench/README.md.
 */
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
// The handlers log a JSON line per request/regeneration; errors still print.
process.env['LOG_LEVEL'] ??= 'silent';

import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { automaticFeedsLever, billedMs, monthlyCost, type AutomaticFeedsRow, PUBLICATION_DELAY_SQS_REQUESTS, readerTrafficLines, type CostScenario, type LambdaMemory } from './lib/cost.js';
import { burstUsage, mixed, usageModel, type ScheduledUsage } from './lib/usage.js';
import { deployConfigSchema } from '../lib/config/deployConfig.js';
import { EDGE_FRESH_SECONDS, EDGE_WORST_CASE_STALENESS_SECONDS } from '../lambdas/core/publish/cachePolicy.js';
import { atMost, metric } from './lib/result.js';
import { benchRecord } from './lib/fixtures.js';
import { round } from './lib/stats.js';
import { formatValue, mark, textTable } from './lib/format.js';
import { withLocalServers, type LocalServers } from './lib/localStack.js';
import { load1m, machineInfo } from './lib/machine.js';
import { DAYS_PER_MONTH, PRICES } from './lib/pricing.js';
import { resultsMarkdown, type BenchResults } from './lib/report.js';
import type { SuiteResult } from './lib/result.js';
import { coalescingSuite, type BurstFigures } from './suites/coalescing.js';
import { coldStartSuite } from './suites/coldStart.js';
import { freshnessSuite } from './suites/freshness.js';
import type { PerChange } from './lib/perChange.js';
import { ingestSuite, type IngestFigures } from './suites/ingest.js';
import { renderSuite } from './suites/render.js';
import { scaleSuite } from './suites/scale.js';

const SUITES = ['render', 'coldStart', 'ingest', 'scale', 'freshness', 'coalescing'] as const;
type SuiteId = (typeof SUITES)[number];

/** Memory of the two functions, as lib/constructs/ingestApi.ts and lib/constructs/regeneration.ts set it. */
const MEMORY: LambdaMemory = { ingestMb: 1024, regenerationMb: 1024 };
/** The stack's default stream batching window (lib/config/deployConfig.ts). */
const STACK_BATCHING_WINDOW_S = deployConfigSchema.parse({}).regeneration.batchingWindowSeconds;
/** Share of changes that are scheduled articles (issue 12: one Scheduler invocation each), stated. */
const SCHEDULED_SHARE = 0.1;
/** Share of changes that are new articles (the rest: edits of articles in the feed), as in the coalescing burst (250 of 500), stated. */
const NEW_ARTICLE_SHARE = 0.5;
/** The stated reader load the reader-traffic lines price. */
const READER_REQUESTS_PER_DAY = 1_000_000;

/**
 * Automatic tag and author feeds (the subscriber issue): a change touches 1 + k + m feeds. One at a
 * time, k and m are those of a realistic article, stated here: 3 tags and 2 authors. Batched, the
 * distinct tag and author feeds of the batch's records (bench/lib/fixtures.ts benchRecord: tags
 * `Lorem & ipsum`, `Topic n%20`, `Bench`; authors Bench Desk, + Second Writer every third).
 */
const TAGS_PER_ARTICLE = 3;
const AUTHORS_PER_ARTICLE = 2;
function tagAndAuthorFanout() {
  const feedsOf = (n: number) => {
    const r = benchRecord({ n }) as { tags: string[]; authors: { name: string }[] };
    return [...r.tags.map((t) => `tag:${t}`), ...r.authors.map((a) => `author:${a.name}`)];
  };
  const distinctIn = (k: number) => new Set(Array.from({ length: Math.max(1, k) }, (_, i) => feedsOf(i + 1)).flat()).size;
  return {
    perChange: TAGS_PER_ARTICLE + AUTHORS_PER_ARTICLE,
    distinctIn,
    source: `one at a time: ${TAGS_PER_ARTICLE} tags and ${AUTHORS_PER_ARTICLE} authors per article (a realistic story, stated); batched: the distinct tags and authors of the batch's bench records (3 tags each, ~22 distinct; 1-2 of 2 authors)`,
  };
}

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
    'report-only': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('Usage: npm run bench [-- --quick] [-- --only render,coldStart,ingest,scale,freshness,coalescing,cost] [-- --out FILE] [-- --report-only]\n  cost = ingest,freshness,coalescing (what the monthly cost model prices)');
  process.exit(0);
}
if (values['report-only']) {
  // Rewrites RESULTS.md from results.json (after a change to the report's wording), measuring nothing.
  const results = JSON.parse(await readFile(new URL('results.json', import.meta.url), 'utf8')) as BenchResults;
  await writeFile(new URL('RESULTS.md', import.meta.url), resultsMarkdown(results));
  console.log('wrote bench/RESULTS.md from bench/results.json');
  process.exit(0);
}
const quick = values.quick ?? false;
/** `cost` is not a suite of its own: it selects the suites whose counts the cost model prices. */
const COST_SUITES: SuiteId[] = ['ingest', 'freshness', 'coalescing'];
const only = values.only ? values.only.split(',').flatMap((s) => (s.trim() === 'cost' ? COST_SUITES : [s.trim()])) : [...SUITES];
const unknown = only.filter((s) => !(SUITES as readonly string[]).includes(s));
if (unknown.length) {
  console.error(`Unknown suite(s): ${unknown.join(', ')}; known: ${SUITES.join(', ')}`);
  process.exit(2);
}
const selected = new Set(only as SuiteId[]);
const partial = quick || selected.size < SUITES.length;
const here = new URL('./', import.meta.url);
const outFile = values.out ?? new URL(partial ? 'results.local.json' : 'results.json', here).pathname;

const startedAt = new Date();
const t0 = performance.now();
const machine = machineInfo();
console.log(`bench: ${quick ? 'quick' : 'full'} run, ${[...selected].join(', ')}`);
console.log(`machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, load ${machine.loadAverage1mAtStart}\n`);

const suites: Record<string, SuiteResult & { loadAverage1m: { start: number; end: number } }> = {};
const errors: { suite: string; message: string }[] = [];
let ingestFigures: IngestFigures | undefined;
let perChange: PerChange | undefined;
let perNewArticle: PerChange | undefined;
let burst: BurstFigures | undefined;

async function run<T extends SuiteResult>(id: SuiteId, fn: () => Promise<T>): Promise<T | undefined> {
  if (!selected.has(id)) return undefined;
  const load = load1m();
  console.log(`▶ ${id}`);
  const t = performance.now();
  try {
    const result = await fn();
    suites[id] = { ...result, loadAverage1m: { start: load, end: load1m() } };
    const misses = result.metrics.filter((m) => m.status === 'miss').length;
    console.log(`✓ ${id} done in ${((performance.now() - t) / 1000).toFixed(1)} s${misses ? ` (${misses} target${misses > 1 ? 's' : ''} missed)` : ''}`);
    return result;
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    errors.push({ suite: id, message });
    console.log(`✗ ${id} FAILED after ${((performance.now() - t) / 1000).toFixed(1)} s\n${message}`);
    return undefined;
  }
}

// CPU-only suites first, on a machine without the Java server running.
await run('render', () => renderSuite({ quick }));
await run('coldStart', () => coldStartSuite({ quick }));

// Full run: each suite on its own DynamoDB Local and s3rver. DynamoDB Local (one in-memory SQLite
// database for all tables) slows down as tables, items and stream records pile up, which would
// otherwise make every suite pay for the ones before it. Quick run: one pair for all (start-up time
// matters more than that there).
async function serverSuites(withServers: <T>(fn: (servers: LocalServers) => Promise<T>) => Promise<T>): Promise<void> {
  ingestFigures = (await run('ingest', () => ingestSuite(withServers, { quick })))?.figures;
  await run('scale', () => withServers((servers) => scaleSuite(servers, { quick })));
  const freshness = await run('freshness', () => withServers((servers) => freshnessSuite(servers, { quick })));
  perChange = freshness?.perChange;
  perNewArticle = freshness?.perNewArticle;
  burst = (await run('coalescing', () => withServers((servers) => coalescingSuite(servers, { quick }))))?.stack;
}
if (!quick) await serverSuites(withLocalServers);
else if (['ingest', 'scale', 'freshness', 'coalescing'].some((s) => selected.has(s as SuiteId))) {
  await withLocalServers((shared) => serverSuites((fn) => fn(shared))).catch((error: unknown) => {
    errors.push({ suite: 'local servers', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    console.error(`local servers: ${String(error)}`);
  });
}

// Monthly cost from the counted usage: 10,000 and 100,000 changes a day, one at a time, in bursts,
// and (100,000) arriving evenly; with the automatic tag and author feeds each change touches.
const scenarios: CostScenario[] = [];
const fanout = tagAndAuthorFanout();
/** The issue's target for 10,000 changes a day one at a time, USD a month, and the lever priced against it. */
const ONE_AT_A_TIME_BUDGET_USD = 40;
const LEVER_CHANGES_PER_DAY = 10_000;
/** 10,000 a day one at a time, by automatic tag and author feeds per change (the configuration's lever). */
let byAutomaticFeeds: AutomaticFeedsRow[] = [];
if (ingestFigures && perChange && perNewArticle) {
  /** What scheduled articles add to every change (their share of changes). */
  const scheduled: ScheduledUsage = { schedulerInvocations: SCHEDULED_SHARE, scheduledSqsRequests: SCHEDULED_SHARE * PUBLICATION_DELAY_SQS_REQUESTS };
  const edits = usageModel(perChange, scheduled);
  const news = usageModel(perNewArticle, scheduled);
  const burstOf = (b: BurstFigures, ingestMsPerChange: number, ingestRequestsPerChange: number) => burstUsage(b, scheduled, ingestMsPerChange, ingestRequestsPerChange);
  /** Changes one at a time or arriving evenly: edits and new articles in the stated mix. */
  const invocationOf = (changes: number, extraFeeds: number, ingestMsPerChange: number, ingestRequestsPerChange: number) =>
    mixed(news(changes, extraFeeds, ingestMsPerChange, ingestRequestsPerChange), edits(changes, extraFeeds, ingestMsPerChange, ingestRequestsPerChange), NEW_ARTICLE_SHARE);
  const singleWith = (automaticFeeds: number) => invocationOf(1, automaticFeeds, billedMs(ingestFigures!.singleRecordMsP50), 1);
  const single = singleWith(fanout.perChange);
  byAutomaticFeeds = automaticFeedsLever((k) => monthlyCost('lever', singleWith(k), LEVER_CHANGES_PER_DAY, MEMORY).totalUsd, fanout.perChange);
  const burstSize = burst?.changes ?? 500;
  const perRequestMs = ingestFigures.bulkMsPerRecord * 100;
  const bursts = burst ? burstOf(burst, billedMs(perRequestMs) / 100, 1 / 100) : invocationOf(burstSize, fanout.distinctIn(burstSize), billedMs(perRequestMs) / 100, 1 / 100);
  const evenRate = 100_000 / 86_400;
  const perBatch = Math.max(1, evenRate * STACK_BATCHING_WINDOW_S);
  const evenly = invocationOf(perBatch, fanout.distinctIn(Math.round(perBatch)), billedMs(ingestFigures.singleRecordMsP50), 1);
  for (const perDay of [10_000, 100_000]) {
    scenarios.push(monthlyCost(`${perDay.toLocaleString('en')}/day, one at a time (every change its own request and regeneration)`, single, perDay, MEMORY));
    scenarios.push(monthlyCost(`${perDay.toLocaleString('en')}/day, in bursts of ${burstSize} (ingest requests of 100)`, bursts, perDay, MEMORY));
  }
  scenarios.push(
    monthlyCost(`100,000/day, arriving evenly (${round(evenRate, 2)}/s; ${round(perBatch, 1)} changes per ${STACK_BATCHING_WINDOW_S} s batching window)`, evenly, 100_000, MEMORY),
  );
}
const readerTraffic = readerTrafficLines({ requestsPerDay: READER_REQUESTS_PER_DAY, bytesPerResponse: 20 * 1024, documents: 12, cacheTiers: 13, edgeSeconds: EDGE_FRESH_SECONDS });

/** The issue's cost and freshness targets, judged on the scenarios and on cachePolicy.ts. */
function costTargets() {
  const at = (prefix: string) => scenarios.find((c) => c.name.startsWith(prefix));
  const oneAtATime = at('10,000/day, one at a time');
  const evenly = at('100,000/day, arriving evenly');
  const metrics = [
    ...(oneAtATime ? [metric('cost.10k.oneAtATime', 'what changes cost, 10,000 a day one at a time', oneAtATime.totalUsd, 'USD/month', atMost(ONE_AT_A_TIME_BUDGET_USD, 'USD/month', `≤ $${ONE_AT_A_TIME_BUDGET_USD} a month`))] : []),
    ...(evenly ? [metric('cost.100k.evenly', 'what changes cost, 100,000 a day arriving evenly', evenly.totalUsd, 'USD/month', atMost(250, 'USD/month', '≤ $250 a month'))] : []),
    ...(perChange ? [metric('cost.s3HeadsPerRegeneration', 'S3 HEADs per regeneration (measured)', round(perChange.heads / Math.max(1, perChange.invocations), 2), 'HEADs', atMost(0, 'HEADs', '0'))] : []),
    ...(oneAtATime ? [metric('cost.invalidationAtDefault', 'invalidation spend at the default settings, 10,000 a day', oneAtATime.lines.find((l) => l.item.startsWith('CloudFront invalidation'))!.monthlyUsd, 'USD/month', atMost(0, 'USD/month', '$0'))] : []),
    metric('cost.edgeStaleness', 'documented worst-case edge staleness at the default (cachePolicy.ts)', EDGE_WORST_CASE_STALENESS_SECONDS, 's', atMost(10, 's', '≤ 10 s')),
  ];
  return metrics.map((m) => ({ suite: 'cost', ...m }));
}

const results: BenchResults = {
  bench: 'section-feed-publisher',
  issue: 7,
  mode: quick ? 'quick' : 'full',
  suitesRun: [...selected],
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  durationSeconds: Math.round((performance.now() - t0) / 100) / 10,
  machine: { ...machine, loadAverage1mAtEnd: load1m() },
  targets: [...Object.values(suites).flatMap((s) => s.metrics.filter((m) => m.target).map((m) => ({ suite: s.id, ...m }))), ...costTargets()],
  suites,
  cost: { daysPerMonth: DAYS_PER_MONTH, lambdaMemory: MEMORY, prices: PRICES, fanout: { perChange: fanout.perChange, source: fanout.source }, automaticFeedsLever: { changesPerDay: LEVER_CHANGES_PER_DAY, budgetUsd: ONE_AT_A_TIME_BUDGET_USD, rows: byAutomaticFeeds }, scheduledShare: SCHEDULED_SHARE, newArticleShare: NEW_ARTICLE_SHARE, scenarios, readerTraffic: { requestsPerDay: READER_REQUESTS_PER_DAY, lines: readerTraffic } },
  errors,
};

// The table for people.
console.log('');
for (const s of Object.values(suites)) {
  console.log(`${s.title}  [${s.seconds.toFixed(1)} s]`);
  console.log(
    textTable(
      ['figure', 'value', 'target', 'result'],
      s.metrics.map((m) => [m.label, formatValue(m.value, m.unit), m.target?.text ?? '', mark(m)]),
    ),
  );
  console.log('');
}
for (const c of scenarios) {
  console.log(`What changes cost a month (${DAYS_PER_MONTH} days), ${c.name}  (${PRICES.region} list prices of ${PRICES.asOf}); invalidation opted in would add $${c.optInInvalidationUsd}`);
  console.log(
    textTable(
      ['item', 'quantity / month', 'price', 'USD / month'],
      [...c.lines.map((l) => [l.item, `${formatValue(l.monthlyQuantity, l.unit)}`, l.unitPrice, l.monthlyUsd.toFixed(2)]), ['total', '', '', c.totalUsd.toFixed(2)]],
    ),
  );
  console.log('');
}
if (byAutomaticFeeds.length) {
  console.log(`What changes cost at ${LEVER_CHANGES_PER_DAY.toLocaleString('en')} a day one at a time, by automatic tag and author feeds per change (target ≤ $${ONE_AT_A_TIME_BUDGET_USD})`);
  console.log(textTable(['automatic feeds per change', 'USD / month'], byAutomaticFeeds.map((r) => [String(r.automaticFeeds), r.totalUsd.toFixed(2)])));
  console.log('');
}
console.log(`Reader traffic at ${READER_REQUESTS_PER_DAY.toLocaleString('en')} feed requests a day (the same for any publisher)`);
console.log(textTable(['item', 'quantity / month', 'price', 'USD / month'], readerTraffic.map((l) => [l.item, formatValue(l.monthlyQuantity, l.unit), l.unitPrice, l.monthlyUsd.toFixed(2)])));
console.log('');
const missed = results.targets.filter((t) => t.status === 'miss');
console.log(`targets: ${results.targets.length - missed.length} pass, ${missed.length} missed${missed.length ? `: ${missed.map((m) => m.key).join(', ')}` : ''}`);

await writeFile(outFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${outFile}`);
if (!partial && !values.out) {
  const md = new URL('RESULTS.md', here).pathname;
  await writeFile(md, resultsMarkdown(results));
  console.log(`wrote ${md}`);
}
console.log(`total ${results.durationSeconds} s`);
if (errors.length) {
  console.error(`\n${errors.length} suite(s) failed: ${errors.map((e) => e.suite).join(', ')}`);
  process.exitCode = 1;
}
