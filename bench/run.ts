/**
 * `npm run bench` — how fast, how cheap, and how cost grows (issue 7).
 *
 *   npm run bench                   full run (< 10 min on the 2-core box): bench/results.json + bench/RESULTS.md
 *   npm run bench -- --quick        smoke run (< 1 min): smaller samples, bench/results.local.json only
 *   npm run bench -- --only render,coldStart   some suites only (results.local.json)
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
import { billedMs, monthlyCost, type CostScenario, type LambdaMemory } from './lib/cost.js';
import { formatValue, mark, textTable } from './lib/format.js';
import { withLocalServers, type LocalServers } from './lib/localStack.js';
import { load1m, machineInfo } from './lib/machine.js';
import { DAYS_PER_MONTH, PRICES } from './lib/pricing.js';
import { resultsMarkdown, type BenchResults } from './lib/report.js';
import type { SuiteResult } from './lib/result.js';
import { coalescingSuite, type BurstFigures } from './suites/coalescing.js';
import { coldStartSuite } from './suites/coldStart.js';
import { freshnessSuite, type PerChange } from './suites/freshness.js';
import { ingestSuite, type IngestFigures } from './suites/ingest.js';
import { renderSuite } from './suites/render.js';
import { scaleSuite } from './suites/scale.js';

const SUITES = ['render', 'coldStart', 'ingest', 'scale', 'freshness', 'coalescing'] as const;
type SuiteId = (typeof SUITES)[number];

/** Memory of the two functions, as lib/constructs/ingestApi.ts and lib/constructs/regeneration.ts set it. */
const MEMORY: LambdaMemory = { ingestMb: 1024, regenerationMb: 1024 };
const CHANGES_PER_DAY = 10_000;

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
  console.log('Usage: npm run bench [-- --quick] [-- --only render,coldStart,ingest,scale,freshness,coalescing] [-- --out FILE] [-- --report-only]');
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
const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SUITES];
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
  perChange = (await run('freshness', () => withServers((servers) => freshnessSuite(servers, { quick }))))?.perChange;
  burst = (await run('coalescing', () => withServers((servers) => coalescingSuite(servers, { quick }))))?.stack;
}
if (!quick) await serverSuites(withLocalServers);
else if (['ingest', 'scale', 'freshness', 'coalescing'].some((s) => selected.has(s as SuiteId))) {
  await withLocalServers((shared) => serverSuites((fn) => fn(shared))).catch((error: unknown) => {
    errors.push({ suite: 'local servers', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    console.error(`local servers: ${String(error)}`);
  });
}

// Monthly cost at 10,000 changes a day, from the counted usage.
const scenarios: CostScenario[] = [];
if (ingestFigures && burst) {
  const perRequest = (burst.changes / burst.ingestRequests) * ingestFigures.bulkMsPerRecord;
  scenarios.push(
    monthlyCost(
      `bursts of ${burst.changes} (as measured with the stack's stream settings)`,
      {
        ingestRequests: burst.ingestRequests / burst.changes,
        ingestLambdaMs: (billedMs(perRequest) * burst.ingestRequests) / burst.changes,
        regenerationInvocations: burst.invocations / burst.changes,
        regenerationLambdaMs: (burst.regenerationMsTotal + burst.invocations / 2) / burst.changes,
        writeUnits: burst.writeUnits / burst.changes,
        readUnits: burst.readUnits / burst.changes,
        s3Puts: burst.puts / burst.changes,
        s3Heads: burst.heads / burst.changes,
        invalidationPaths: burst.invalidationPaths / burst.changes,
        putBytes: burst.putBytes / burst.changes,
      },
      CHANGES_PER_DAY,
      MEMORY,
    ),
  );
}
if (ingestFigures && perChange) {
  const steady = {
    ingestRequests: 1,
    ingestLambdaMs: billedMs(ingestFigures.singleRecordMsP50),
    regenerationInvocations: perChange.invocations,
    regenerationLambdaMs: billedMs(perChange.regenerationMs) * perChange.invocations,
    writeUnits: perChange.writeUnits,
    readUnits: perChange.readUnits,
    s3Puts: perChange.puts,
    s3Heads: perChange.heads,
    invalidationPaths: perChange.invalidationPaths,
    putBytes: perChange.putBytes,
  };
  scenarios.push(monthlyCost('one change at a time (every change its own request and regeneration)', steady, CHANGES_PER_DAY, MEMORY));
  scenarios.push(
    monthlyCost(
      'what-if: one at a time, wildcard invalidation (/feeds/{section}/*, /partners/{section}/*) per render',
      { ...steady, invalidationPaths: Math.min(steady.invalidationPaths, perChange.wildcardPaths * perChange.regenerations) },
      CHANGES_PER_DAY,
      MEMORY,
    ),
  );
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
  targets: Object.values(suites).flatMap((s) => s.metrics.filter((m) => m.target).map((m) => ({ suite: s.id, ...m }))),
  suites,
  cost: { changesPerDay: CHANGES_PER_DAY, daysPerMonth: DAYS_PER_MONTH, lambdaMemory: MEMORY, prices: PRICES, scenarios },
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
  console.log(`Monthly cost, ${c.changesPerDay.toLocaleString('en')} changes/day × ${DAYS_PER_MONTH} days, ${c.name}  (${PRICES.region} list prices of ${PRICES.asOf})`);
  console.log(
    textTable(
      ['item', 'quantity / month', 'price', 'USD / month'],
      [...c.lines.map((l) => [l.item, `${formatValue(l.monthlyQuantity, l.unit)}`, l.unitPrice, l.monthlyUsd.toFixed(2)]), ['total', '', '', c.totalUsd.toFixed(2)]],
    ),
  );
  console.log('');
}
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
