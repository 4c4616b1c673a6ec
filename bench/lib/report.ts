/** bench/RESULTS.md: the latest full run's figures, for the main README to link. */
import { mostFeedsWithin, withinBudget, type AutomaticFeedsRow, type CostLine, type CostScenario, type LambdaMemory } from './cost.js';
import { formatValue, markdownTable } from './format.js';
import type { MachineInfo } from './machine.js';
import type { PRICES } from './pricing.js';
import type { Metric, SuiteResult } from './result.js';
import { BURST_CATCH_UPS, BURST_CHANGES } from '../../lambdas/core/publish/publishFeed.js';

/** What changes cost one at a time by automatic feeds per change, against the target's budget. */
export interface AutomaticFeedsLever {
  changesPerDay: number;
  budgetUsd: number;
  rows: AutomaticFeedsRow[];
}

export interface BenchResults {
  bench: string;
  issue: number;
  mode: 'full' | 'quick';
  suitesRun: string[];
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  machine: MachineInfo & { loadAverage1mAtEnd: number };
  targets: (Metric & { suite: string })[];
  suites: Record<string, SuiteResult & { loadAverage1m: { start: number; end: number } }>;
  cost: {
    daysPerMonth: number;
    lambdaMemory: LambdaMemory;
    prices: typeof PRICES;
    fanout: { perChange: number; source: string };
    /** What changes cost one at a time by automatic feeds per change (absent in runs before it was priced). */
    automaticFeedsLever?: AutomaticFeedsLever;
    scheduledShare: number;
    /** Share of new articles among single changes and changes arriving evenly (the rest are edits). */
    newArticleShare?: number;
    scenarios: CostScenario[];
    readerTraffic: { requestsPerDay: number; lines: CostLine[] };
  };
  errors: { suite: string; message: string }[];
}

const result = (m: Metric) => (m.status === 'pass' ? '✅ pass' : m.status === 'miss' ? '❌ miss' : '');
type Details = Record<string, any>;

/** Why a target was missed, from the figures of this run. */
function analysis(r: BenchResults): string[] {
  const out: string[] = [];
  const missed = (prefix: string) => r.targets.some((t) => t.key.startsWith(prefix) && t.status === 'miss');
  const render = r.suites['render']?.details as Details | undefined;
  if (render && missed('render.ratio')) {
    const b = render['breakdown50'] ?? {};
    const ms = (k: string) => (b[k]?.p50Ms as number | undefined) ?? Number.NaN;
    const ours = render['items50']?.ours?.p50Ms as number;
    const bare = render['items50']?.bare?.p50Ms as number;
    const profile = render['profile50'] as { byOrigin: { origin: string; selfPct: number }[]; topFunctions: { fn: string; where: string; selfPct: number }[] } | undefined;
    const top = profile?.topFunctions.slice(0, 7).map((f) => `${f.fn} ${f.selfPct} %`).join(', ');
    const origins = profile?.byOrigin.slice(0, 5).map((o) => `${o.origin} ${o.selfPct} %`).join(', ');
    out.push(
      `**Render ratio** (${r.targets.filter((t) => t.key.startsWith('render.ratio')).map((t) => `${t.key.split('.').pop()} items ${t.value}×`).join(', ')}; target ≤ 0.8×). ` +
        `For 50 items ours takes ${ours} ms against ${bare} ms; timed alone, renderRss ${ms('ours: renderRss')} ms vs rss2() ${ms('bare: rss2()')} ms, renderAtom ${ms('ours: renderAtom')} ms vs atom1() ${ms('bare: atom1()')} ms, renderJsonFeed ${ms('ours: renderJsonFeed')} ms vs json1() ${ms('bare: json1()')} ms. ` +
        (profile ? `CPU profile of our render — self time by origin: ${origins}; top functions: ${top}. ` : '') +
        'See details.breakdown50 and details.profile50 for the parts; the writers are render/rss.ts, atom.ts, jsonFeed.ts over render/xml.ts and render/ext/.',
    );
  }
  const cold = r.suites['coldStart']?.details as Details | undefined;
  if (cold && missed('coldStart')) {
    const comp = cold['composition'] ?? {};
    const all = r.suites['coldStart']!.metrics;
    const v = (key: string) => all.find((m) => m.key === key)?.value;
    const sizes = r.targets.filter((t) => t.key.startsWith('coldStart') && t.key.endsWith('.bytes')).map((t) => `${t.key.split('.')[1]} ${formatValue(t.value, 'bytes')}`);
    const loads = r.targets.filter((t) => t.key.startsWith('coldStart') && t.key.endsWith('.loadMs')).map((t) => `${t.key.split('.')[1]} ${t.value} ms (${v(t.key + 'Alt')} ms with the other deploy.sourceMaps setting)`);
    const parts = Object.entries(comp)
      .filter(([k]) => k.endsWith(', stack'))
      .map(([k, list]) => `${k.replace(', stack', '')}: ${(list as string[]).slice(0, 8).join(', ')}`);
    out.push(
      `**Bundle size and load** (sizes ${sizes.join(', ')}; loads ${loads.join(', ')}; targets < 600 KiB and < 120 ms). ` +
        `Largest contributors as the stack builds each bundle (esbuild metafile) — ${parts.join('; ')}. ` +
        'Already done (issue 14): ESM-first resolution, zod imported as a tree-shakable namespace and kept out of regeneration (it reads the synth-validated configuration), CloudFront invalidation as one signed call, the content inbox\'s S3 reads (GetObject, HeadObject) as two signed calls without the S3 client, the SDK\'s credential chain and postcss replaced by stand-ins (lib/constructs/lambdaBundling.ts), maps without sources content. Also done: the article schema on zod/mini (same messages), stand-ins for htmlparser2\'s index (sanitize-html uses only its Parser: no dom-serializer, domutils, domhandler or second copy of entities), dayjs (never called) and js-yaml\'s dumper. What is left is mostly compiling what each function really uses: the AWS SDK core and clients (the S3 client\'s schema module, 67 KiB, is built at import and not tree-shaken: regeneration still writes with it), Markdown and YAML in the content inbox, the sanitizer at ingest. `--enable-source-maps` (deploy.sourceMaps, off by default) costs the difference shown at load; the load also moves with the machine\'s load average.',
    );
  }
  if (missed('scale')) {
    const d = r.suites['scale']!.details as Details;
    out.push(`**Scale ratio** ${d['ratioP50']}× (Query alone ${d['queryRatioP50']}×). Read units per Query were ${d['small']?.readUnitsPerQuery} and ${d['large']?.readUnitsPerQuery}: the work the design asks of DynamoDB does not grow with the archive; DynamoDB Local keeps all tables in one SQLite database, whose cost can.`);
  }
  if (missed('freshness')) {
    const d = r.suites['freshness']!.details as Details;
    const calls = d['single']?.dynamo?.calls ?? {};
    out.push(
      `**Freshness** (single changes p50 ${d['single']?.visibleMs?.p50} / p95 ${d['single']?.visibleMs?.p95} ms, bursts of ${d['bursts']?.size} p50 ${d['bursts']?.visibleMs?.p50} / p95 ${d['bursts']?.visibleMs?.p95} ms; target p95 < 1 s). ` +
        `A change waits for its ingest (GetItem + TransactWriteItems), the batching window (${d['poller']?.batchingWindowMs} ms), the poller's idle poll (${d['poller']?.pollIntervalMs} ms) and one regeneration: ${d['perChange']?.regenerationMs} ms median per invocation here, which HEADs ${d['perChange']?.heads} documents and PUTs ${d['perChange']?.puts} (${Math.round((d['perChange']?.putBytes ?? 0) / 1024)} KiB: the public feeds, the page, partner feeds, ninjs, archive pages) and makes ${Math.round(((calls['UpdateItemCommand'] ?? 0) + (calls['PutItemCommand'] ?? 0) + (calls['GetItemCommand'] ?? 0)) / (d['single']?.invocations || 1))} DynamoDB item calls for section state and archive slots besides the ingest's. ` +
        `In a burst, ${d['bursts']?.size} POSTs are ingested at once on the same two cores, then the section is read ${(d['bursts']?.rendersPerBurst ?? []).join('/')} times per burst (its renders and catch-ups) with ${(d['bursts']?.looksPerBurst ?? []).join('/')} looks at its entries' versions, each invocation after reconciling the archive slots of its batch (one BatchGetItem per 50 articles, then the slot writes, 8 in flight); the configured feeds (the section) are published before the automatic tag and author feeds, and a feed's subscription documents before its page, partner feeds, ninjs and archive pages. A batch that brings a feed ${BURST_CHANGES} changes or more catches up: after writing the subscription feeds it looks at the versions again and, while changes were stored meanwhile, reads them and writes the subscription feeds again (at most ${BURST_CATCH_UPS} times) before the rest; a change stored after its last look waits for the next invocation: that tail is what p95 and p99 catch. ` +
        `The bursts' timeline, measured: each burst's last change was stored (its ingest transaction committed) ${(d['bursts']?.lastStoredMs ?? []).join('/')} ms after the burst was sent, and was visible at ${(d['bursts']?.lastVisibleMs ?? []).join('/')} ms, ${gaps(d['bursts'])} ms after it was stored. DynamoDB Local applies the burst's transactions largely one after another on the same two cores, so the last one commits several hundred ms after the first. `  +
        `No HEADs any more (the feed's manifest says what was published). The figures move with the machine's load (see the load averages; p95 and p99 catch the moments other processes take both cores): near the target they pass or miss from run to run.`,
    );
  }
  if (missed('coalescing')) {
    const d = r.suites['coalescing']!.details as Details;
    const run = d['stackSettings'] ?? d['localPoller'];
    const stream = run?.calls?.streamPoller ?? {};
    const kinds = Object.entries((run?.calls?.invalidatedKinds ?? {}) as Record<string, number>).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, n]) => `${k} ×${n}`).join(', ');
    out.push(
      `**Coalescing** (${run?.burst?.regenerations} regenerations in ${run?.burst?.invocations} invocations for ${run?.burst?.changes} changes; target ≤ 10). ` +
        (stream.records !== undefined ? `The stream carried ${stream.records} records for them, of which ${stream.filteredOut} were filtered out. ` : '') +
        `Besides the article item, every change writes its entry in each of its feeds (section, tags, authors), and the regeneration itself writes section-state updates and archive items — all on the same table's stream. The local poller fills each batch of ${run?.settings?.batchSize} records before filtering, so ${run?.burst?.changes} changes need at least ${stream.records !== undefined ? `~${Math.ceil(stream.records / (run?.settings?.batchSize ?? 100))}` : '10'} invocations, whatever the window; each invocation that carries an article record renders the section once. ` +
        'Fixes: raise the regeneration mapping\'s batch size (deploy.regeneration.batchSize, e.g. 1,000: one render per window per section); keep the publisher\'s own bookkeeping (section state, archive slots) off the article stream — a second table without a stream — so it neither fills batches nor triggers polling; the lease in publishFeed already lets one render cover concurrent requests.' +
        (kinds ? ` Invalidation paths requested in this burst, by kind: ${kinds}.` : ''),
    );
  }
  const costMisses = r.targets.filter((t) => t.suite === 'cost' && t.status === 'miss');
  if (costMisses.length) {
    const steady = r.cost.scenarios[0];
    const top = steady ? [...steady.lines].sort((a, b) => b.monthlyUsd - a.monthlyUsd).slice(0, 3).map((l) => `${l.item} $${l.monthlyUsd.toFixed(2)}`) : [];
    out.push(
      `**Cost** (${costMisses.map((t) => `${t.label}: ${formatValue(t.value, t.unit)}`).join('; ')}). Largest lines at 10,000 a day one at a time: ${top.join(', ')}. ` +
        'Each change renders its section feed and ' + String(Math.round(r.cost.fanout.perChange * 10) / 10) + ' tag and author feeds (' + r.cost.fanout.source + '). A tag or author feed PUTs what the tag and author folders measured per feed; DynamoDB units are split by what they scale with (per article, per invocation, per tag or author feed render: the partitions each call touched), the regeneration time of an invocation is shared evenly by the feeds it rendered; bursts are priced from the measured 500-change burst itself. No HEADs: what was published is kept in the feed\'s manifest. The S3 PUTs are each a document whose bytes changed (0 unchanged uploads measured), so the lever left is fewer documents per change (e.g. no archive-page rewrite for an edit of an item still in the live feed, partner documents only for partner-relevant fields) or fewer feeds per change; coalescing (bursts, arriving evenly) already divides them. ' +
        (steady ? floorOf(r, steady) : ''),
    );
  }
  return out;
}

/** Per burst, how long after its last change was stored that change was visible. */
function gaps(bursts: { lastStoredMs?: number[]; lastVisibleMs?: number[] } | undefined): string {
  const stored = bursts?.lastStoredMs ?? [];
  return (bursts?.lastVisibleMs ?? []).map((visible, i) => Math.round(visible - (stored[i] ?? 0))).join('/');
}

/** Documents PRODUCT.md asks of every feed: its three files (RSS, Atom, JSON Feed) and a readable page. */
export const DOCUMENTS_PER_FEED = 4;

/** The least a change one at a time can cost a month: the required documents of every feed it touches, plus the other lines as measured. */
export function costFloor(o: { feeds: number; changesPerDay: number; daysPerMonth: number; perThousandPut: number; otherLinesUsd: number }): { puts: number; s3Usd: number; totalUsd: number } {
  const puts = DOCUMENTS_PER_FEED * o.feeds;
  const s3Usd = ((puts * o.changesPerDay * o.daysPerMonth) / 1000) * o.perThousandPut;
  return { puts, s3Usd, totalUsd: s3Usd + o.otherLinesUsd };
}

function floorOf(r: BenchResults, steady: BenchResults['cost']['scenarios'][number]): string {
  const feeds = 1 + Math.round(r.cost.fanout.perChange);
  const others = steady.lines.filter((l) => !l.item.startsWith('S3 PUT')).reduce((sum, l) => sum + l.monthlyUsd, 0);
  const floor = costFloor({ feeds, changesPerDay: steady.changesPerDay, daysPerMonth: r.cost.daysPerMonth, perThousandPut: r.cost.prices.s3.perThousandPut, otherLinesUsd: others });
  return (
    `A floor, one at a time: every feed has three files and a readable page (PRODUCT.md), so the ${feeds} feeds a change touches are at least ${floor.puts} PUTs, $${floor.s3Usd.toFixed(2)} a month at ${steady.changesPerDay.toLocaleString('en')} a day, before any partner document or archive page; ` +
    `with the other lines as measured ($${others.toFixed(2)}: DynamoDB, Lambda, API, SQS) that is $${floor.totalUsd.toFixed(2)}. With automatic tag and author feeds on, such a change one at a time cannot cost less; fewer feeds per article (automaticFeeds: maxPerArticle, exclude, authors off) is the lever.` +
    leverText(r.cost.automaticFeedsLever)
  );
}

/** What the lever buys against the budget, from the priced rows ('' for a run that did not price it). */
export function leverText(lever: AutomaticFeedsLever | undefined): string {
  if (!lever?.rows.length) return '';
  const most = mostFeedsWithin(lever.rows, lever.budgetUsd);
  const priced = lever.rows.map((row) => `${row.automaticFeeds}: $${row.totalUsd.toFixed(2)}`).join(', ');
  const verdict =
    most === undefined
      ? `not even a change in no automatic feed stays within $${lever.budgetUsd}`
      : `$${lever.budgetUsd} a month holds with at most ${most} automatic feed${most === 1 ? '' : 's'} per change (e.g. automaticFeeds.tags.maxPerArticle ${most} with authors.enabled false)`;
  return ` Priced from the same measured model, by automatic feeds per change (${priced}): ${verdict}; the product decision is how many of its tag and author feeds an article keeps up to date.`;
}

export function resultsMarkdown(r: BenchResults): string {
  const m = r.machine;
  const lines: string[] = [];
  lines.push('# Benchmark results', '');
  lines.push(
    `Latest full run of \`npm run bench\` (issue 7), ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${r.durationSeconds} s. ` +
      `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.java}; load average ${m.loadAverage1mAtStart} at the start and ${m.loadAverage1mAtEnd} at the end (other processes share this machine). ` +
      'Raw figures: [results.json](results.json); how to run and what each number means: [README.md](README.md).',
    '',
  );
  lines.push('## Targets', '');
  lines.push(markdownTable(['figure', 'value', 'target', 'result'], r.targets.map((t) => [t.label, formatValue(t.value, t.unit), t.target!.text, result(t)])));
  lines.push('');
  const why = analysis(r);
  if (why.length) {
    lines.push('## Why targets are missed (and what costs most), and what would fix it', '');
    for (const w of why) lines.push(`- ${w}`);
    lines.push('');
  }
  lines.push('## All figures', '');
  for (const s of Object.values(r.suites)) {
    lines.push(`### ${s.title}`, '');
    lines.push(markdownTable(['figure', 'value', 'target', 'result'], s.metrics.map((x) => [x.label, formatValue(x.value, x.unit), x.target?.text ?? '', result(x)])));
    lines.push('');
    for (const n of s.notes) lines.push(`- ${n}`);
    lines.push('');
  }
  if (r.cost.scenarios.length) {
    const p = r.cost.prices;
    lines.push('### What changes cost a month', '');
    lines.push(
      `AWS list prices, ${p.region}, as of ${p.asOf} (written in bench/lib/pricing.ts; not re-fetched). ${r.cost.daysPerMonth}-day month; Lambda arm64 at ${r.cost.lambdaMemory.ingestMb} MB (ingest) and ${r.cost.lambdaMemory.regenerationMb} MB (regeneration), billed for the handler time measured locally (a proxy: AWS round trips are slower than loopback); no free tiers except CloudFront's first ${p.cloudfront.freeInvalidationPathsPerMonth} invalidation paths and Scheduler's 14 M invocations. ` +
        `Tag and author feeds: ${Math.round(r.cost.fanout.perChange * 100) / 100} per change one at a time (${r.cost.fanout.source}), the distinct ones of a batch when changes are batched; ${r.cost.scheduledShare * 100} % of changes taken as scheduled articles${r.cost.newArticleShare !== undefined ? `; one at a time and arriving evenly, ${r.cost.newArticleShare * 100} % of changes are new articles and the rest edits of articles in the feed, each kind priced from its own measured series (bursts: the measured burst, 250 edits and 250 new articles)` : ''}. Per-change operation counts are in results.json (cost.scenarios[].perChange).`,
      '',
    );
    lines.push(
      markdownTable(
        ['item', ...r.cost.scenarios.map((c) => c.name)],
        [
          ...r.cost.scenarios[0]!.lines.map((l, i) => [`${l.item} (${l.unitPrice})`, ...r.cost.scenarios.map((c) => `$${c.lines[i]!.monthlyUsd.toFixed(2)} (${formatValue(c.lines[i]!.monthlyQuantity, c.lines[i]!.unit)})`)]),
          ['**total: what changes cost**', ...r.cost.scenarios.map((c) => `**$${c.totalUsd.toFixed(2)}**`)],
          ['invalidation opted in (budget 1,000 paths: never paid)', ...r.cost.scenarios.map((c) => `+$${c.optInInvalidationUsd.toFixed(2)}`)],
          ['S3 PUTs / HEADs / feed renders per change', ...r.cost.scenarios.map((c) => `${c.perChange.s3Puts} / ${c.perChange.s3Heads} / ${c.perChange.feedRenders}`)],
          ['read / write units per change', ...r.cost.scenarios.map((c) => `${c.perChange.readUnits} / ${c.perChange.writeUnits}`)],
          ['opt-in invalidation paths per change', ...r.cost.scenarios.map((c) => String(c.perChange.optInInvalidationPaths))],
        ],
      ),
    );
    lines.push('');
    const lever = r.cost.automaticFeedsLever;
    if (lever?.rows.length) {
      lines.push(`### What changes cost by automatic feeds per change (${lever.changesPerDay.toLocaleString('en')} a day, one at a time)`, '');
      lines.push('Every figure from the usage model above (the same measured series), with the article in this many tag and author feeds; the configuration sets it (automaticFeeds: enabled, maxPerArticle, exclude).', '');
      lines.push(markdownTable(['automatic tag and author feeds per change', 'what changes cost a month', `within $${lever.budgetUsd}`], lever.rows.map((row) => [String(row.automaticFeeds), `$${row.totalUsd.toFixed(2)}`, withinBudget(row, lever.budgetUsd) ? 'yes' : 'no'])));
      lines.push('');
    }
    lines.push(`### Reader traffic at ${r.cost.readerTraffic.requestsPerDay.toLocaleString('en')} feed requests a day`, '');
    lines.push(markdownTable(['item', 'quantity / month', 'price', 'USD / month'], r.cost.readerTraffic.lines.map((l) => [l.item, formatValue(l.monthlyQuantity, l.unit), l.unitPrice, `$${l.monthlyUsd.toFixed(2)}`])));
    lines.push('');
  }
  if (r.errors.length) {
    lines.push('## Errors', '');
    for (const e of r.errors) lines.push(`- ${e.suite}: ${e.message.split('\n')[0]}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
