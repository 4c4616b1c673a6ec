/**
 * 3. Freshness: change → visible in the served feed, through the local server's HTTP API. Each
 * change is a POST of a new version of an article in the feed; from the moment the POST is sent,
 * the served feed.json is polled (conditional GETs) until it carries that version.
 */
import { benchConfig, benchRecord, toArticles } from '../lib/fixtures.js';
import { renders, startBenchPublisher, type BenchPublisher, type PollerSettings } from '../lib/publisher.js';
import type { DynamoCalls } from '../lib/instrument.js';
import type { LocalServers } from '../lib/localStack.js';
import { below, metric, type SuiteResult } from '../lib/result.js';
import { round, roundSummary, summarize } from '../lib/stats.js';
import { progress } from '../lib/progress.js';

export const FRESHNESS_P95_TARGET_MS = 1000;
/** The local publisher's defaults (local/streamPoller.ts), given explicitly so the report can say them. */
export const LOCAL_POLLER: Required<PollerSettings> = { batchingWindowMs: 100, batchSize: 100, pollIntervalMs: 25 };
const FEED_POLL_MS = 10;
const roundValues = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v)]));
const VISIBLE_TIMEOUT_MS = 30_000;
const FEED_ITEMS = 50;
const SEEDED = 60;

/** What one change costs, averaged over the single-change phase (for the cost model). */
export interface PerChange {
  /** Renders (regenerateFeed runs) per change. */
  regenerations: number;
  invocations: number;
  /** Median regeneration invocation, ms. */
  regenerationMs: number;
  puts: number;
  putBytes: number;
  heads: number;
  unchangedPuts: number;
  invalidationPaths: number;
  /** Wildcard paths that would cover one change's invalidations: distinct `/{top}/{feed}/*` prefixes. */
  wildcardPaths: number;
  /** DynamoDB units of everything (ingest, section state, entry Queries). */
  readUnits: number;
  writeUnits: number;
  /** Of the write units, those of TransactWriteItems, which AWS bills double (DynamoDB Local reports them single). */
  transactWriteUnits: number;
  /** PUTs of the section's own documents (everything but tag and author feeds), per change. */
  sectionPuts: number;
  /** Of those, the documents of one article (its ninjs document), which a batch writes once per article. */
  perArticlePuts: number;
  /** Of those, the section's public feed documents and page (what a tag or author feed writes for a change). */
  publicFeedPuts: number;
  /** PUTs under feeds/tags/ and feeds/authors/, and the distinct such feeds written, per change (0 when none is configured). */
  extraFeedPuts: number;
  extraFeeds: number;
  /** DynamoDB units split by what they scale with (see unitsSplit). */
  units: UnitsSplit;
}

/**
 * DynamoDB units of the single changes split by what they scale with, from the partitions they
 * touched: per article (ingest's GetItem and transaction, archive slots, anything unclassified),
 * per invocation (the section's entry Queries and state, the registry, the site and sitemap
 * state: once per batch however many changes it carries) and per tag or author feed render.
 */
export interface UnitsSplit {
  perArticle: { read: number; write: number; transactWrite: number };
  perInvocation: { read: number; write: number };
  perExtraFeed: { read: number; write: number };
}

const EXTRA_FEED_PARTITIONS = new Set(['TAG', 'AUTHOR', 'STATE#tag', 'STATE#author']);
const PER_ARTICLE_PARTITIONS = new Set(['ARTICLE', 'TRANSACT', 'BATCH', 'ARCHIVE', 'ARCHIVEIDX', 'SCAN', '?']);

export function unitsSplit(calls: DynamoCalls, changes: number, invocations: number, extraFeedRenders: number): UnitsSplit {
  const sum = (test: (partition: string) => boolean) =>
    Object.entries(calls.byPartition).filter(([k]) => test(k)).reduce((a, [, v]) => ({ read: a.read + v.read, write: a.write + v.write }), { read: 0, write: 0 });
  const article = sum((k) => PER_ARTICLE_PARTITIONS.has(k));
  const extra = sum((k) => EXTRA_FEED_PARTITIONS.has(k));
  const invocation = sum((k) => !PER_ARTICLE_PARTITIONS.has(k) && !EXTRA_FEED_PARTITIONS.has(k));
  const per = (u: { read: number; write: number }, n: number) => ({ read: u.read / Math.max(1, n), write: u.write / Math.max(1, n) });
  return {
    perArticle: { ...per(article, changes), transactWrite: (calls.unitsByCommand['TransactWriteItemsCommand']?.write ?? 0) / Math.max(1, changes) },
    perInvocation: per(invocation, invocations),
    perExtraFeed: per(extra, extraFeedRenders),
  };
}

const EXTRA_FEED = /^feeds\/(tags|authors)\/([^/]+)\//;
/** A feed's public documents: `feeds/{slug}/rss.xml|atom.xml|feed.json|index.html` (not the site-wide feeds/index.html). */
/** One article's own document: its ninjs for partners (`partners/{feed}/ninjs/{id}.json`). */
const PER_ARTICLE_DOCUMENT = /\/ninjs\/[^/]+\.json$/;
const PUBLIC_FEED_DOCUMENT = /^feeds\/[^/]+\/(rss\.xml|atom\.xml|feed\.json|index\.html)$/;

/** PUT keys of the single changes by kind: the section's documents, its public feed documents, tag and author feeds. */
export function putsByKind(keys: readonly string[], changes: number): Pick<PerChange, 'sectionPuts' | 'perArticlePuts' | 'publicFeedPuts' | 'extraFeedPuts' | 'extraFeeds'> {
  const extra = keys.filter((k) => EXTRA_FEED.test(k));
  return {
    sectionPuts: (keys.length - extra.length) / changes,
    perArticlePuts: keys.filter((k) => PER_ARTICLE_DOCUMENT.test(k)).length / changes,
    publicFeedPuts: keys.filter((k) => PUBLIC_FEED_DOCUMENT.test(k)).length / changes,
    extraFeedPuts: extra.length / changes,
    // A feed render that changed anything rewrites its RSS: one rss.xml PUT per tag or author feed written.
    extraFeeds: extra.filter((k) => k.endsWith('/rss.xml')).length / changes,
  };
}

interface Pending {
  id: string;
  modified: string;
  t0: number;
  resolve: (ms: number) => void;
  reject: (error: Error) => void;
}

/** Polls the served feed.json and marks pending changes as visible. */
class FeedWatcher {
  private readonly pending = new Set<Pending>();
  private etag: string | undefined;
  private running = true;
  private readonly loop: Promise<void>;
  polls = 0;
  fullFetches = 0;
  /** Bodies that were not the whole document (see poll). */
  partialReads = 0;
  readonly errors: string[] = [];

  constructor(
    private readonly url: string,
    private readonly itemId: (id: string) => string,
  ) {
    this.loop = this.run();
  }

  /** Watches for a version; call `start()` right before sending the change. */
  watch(id: string, modified: string): { start: () => void; visible: Promise<number> } {
    let entry!: Pending;
    const visible = new Promise<number>((resolve, reject) => {
      entry = { id: this.itemId(id), modified, t0: performance.now(), resolve, reject };
    });
    this.pending.add(entry);
    return { start: () => void (entry.t0 = performance.now()), visible };
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.pending.size > 0) {
        try {
          await this.poll();
        } catch (error) {
          this.errors.push(String(error));
          if (this.errors.length > 20) {
            for (const p of this.pending) p.reject(new Error(`feed polling keeps failing: ${String(error)}`));
            this.pending.clear();
          }
        }
      }
      await new Promise((r) => setTimeout(r, FEED_POLL_MS));
    }
  }

  private async poll(): Promise<void> {
    this.polls++;
    // An explicit Cache-Control: fetch() would otherwise add `no-cache` to a conditional request, which makes a server answer 200.
    const res = await fetch(this.url, { headers: { 'accept-encoding': 'identity', 'cache-control': 'max-age=0', ...(this.etag && { 'if-none-match': this.etag }) } });
    const seenAt = performance.now();
    if (res.status !== 200) {
      await res.arrayBuffer();
      return;
    }
    this.fullFetches++;
    const text = await res.text();
    let feed: { items: { id: string; date_modified: string }[] };
    try {
      feed = JSON.parse(text) as typeof feed;
    } catch {
      // s3rver writes objects in place: a GET during a PUT can return the new ETag with a partial
      // body. Real S3 replaces objects atomically. Count it, forget the ETag, read again.
      this.partialReads++;
      this.etag = undefined;
      return;
    }
    this.etag = res.headers.get('etag') ?? undefined;
    const versions = new Set(feed.items.map((i) => `${i.id} ${i.date_modified}`));
    for (const p of this.pending) {
      if (versions.has(`${p.id} ${p.modified}`)) {
        this.pending.delete(p);
        p.resolve(seenAt - p.t0);
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    for (const p of this.pending) p.reject(new Error('watcher stopped'));
  }
}

export async function freshnessSuite(servers: LocalServers, options: { quick: boolean }): Promise<SuiteResult & { perChange: PerChange }> {
  const started = performance.now();
  const singles = options.quick ? 8 : 200;
  const bursts = options.quick ? 1 : 4;
  const BURST = options.quick ? 10 : 50;
  const config = benchConfig(FEED_ITEMS);
  const section = config.sections[0]!;
  const publishedAt = (n: number) => Date.parse('2025-06-01T00:00:00Z') + n * 60_000;
  const seed = toArticles(config, Array.from({ length: SEEDED }, (_, i) => benchRecord({ n: i + 1, section: section.name, prefix: 'fresh', publishedAtMs: publishedAt(i + 1) })));
  const bench: BenchPublisher = await startBenchPublisher(servers, config, seed, LOCAL_POLLER);
  const watcher = new FeedWatcher(`${bench.publisher.url}/feeds/${section.slug}/feed.json`, (id) => `tag:${config.itemIdAuthority}:article/${id}`);
  try {
    // Articles in the feed: the 50 newest of the seeded 60 (n = 11..60); edits keep them there.
    const inFeed = Array.from({ length: FEED_ITEMS }, (_, i) => SEEDED - i);
    const lastUpdated = new Map<number, number>(inFeed.map((n) => [n, publishedAt(n)]));
    let revision = 0;
    const change = (n: number) => {
      const updatedAtMs = Math.max(Date.now(), lastUpdated.get(n)! + 1);
      lastUpdated.set(n, updatedAtMs);
      revision++;
      const record = benchRecord({ n, section: section.name, prefix: 'fresh', publishedAtMs: publishedAt(n), updatedAtMs });
      return { record: { ...record, summary: `${String(record['summary'])} Revision ${revision}.` }, id: String(record['id']), modified: new Date(updatedAtMs).toISOString() };
    };
    const postOne = async (c: ReturnType<typeof change>) => {
      const w = watcher.watch(c.id, c.modified);
      w.start();
      const res = await bench.post(c.record);
      const status = (res.json as { results?: { status: string }[] }).results?.[0]?.status;
      if (res.status !== 200 || status !== 'stored') throw new Error(`freshness POST: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
      const visibleMs = await Promise.race([
        w.visible,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`freshness: ${c.id} @ ${c.modified} not visible in the served feed.json after ${VISIBLE_TIMEOUT_MS} ms (${watcher.polls} polls, ${watcher.errors.length} errors${watcher.errors.length ? `: ${watcher.errors.at(-1)}` : ''})`)), VISIBLE_TIMEOUT_MS).unref()),
      ]);
      return { visibleMs, postMs: res.ms };
    };

    // Single changes, one at a time.
    bench.dynamo.reset();
    bench.s3.reset();
    bench.invocations.length = 0;
    bench.invalidations.length = 0;
    const pollerBefore = { ...bench.publisher.poller.stats };
    const single: { visibleMs: number; postMs: number }[] = [];
    for (let i = 0; i < singles; i++) {
      single.push(await postOne(change(inFeed[i % inFeed.length]!)));
      if ((i + 1) % 50 === 0 && i + 1 < singles) progress(`freshness: ${i + 1} single changes done`);
    }
    const singleInvocations = [...bench.invocations];
    const streamPoller = Object.fromEntries(Object.entries(bench.publisher.poller.stats).map(([k, v]) => [k, v - (pollerBefore[k as keyof typeof pollerBefore] ?? 0)]));
    const firstChangePaths = bench.invalidations.slice(0, Math.round(bench.invalidations.length / singles));
    const dyn = bench.dynamo.snapshot();
    const s3 = bench.s3.snapshot();
    const kinds = putsByKind(s3.putKeys, singles);
    const perChange: PerChange = {
      regenerations: renders(dyn) / singles,
      invocations: singleInvocations.length / singles,
      regenerationMs: summarize(singleInvocations.map((inv) => inv.ms)).p50,
      puts: (s3.calls['PutObjectCommand'] ?? 0) / singles,
      putBytes: s3.putBytes / singles,
      heads: (s3.calls['HeadObjectCommand'] ?? 0) / singles,
      unchangedPuts: s3.unchangedPuts,
      invalidationPaths: bench.invalidations.length / singles,
      wildcardPaths: new Set(firstChangePaths.map((p) => p.replace(/^\/+/, '').split('/').slice(0, 2).join('/'))).size,
      readUnits: dyn.readUnits / singles,
      writeUnits: dyn.writeUnits / singles,
      transactWriteUnits: (dyn.unitsByCommand['TransactWriteItemsCommand']?.write ?? 0) / singles,
      ...kinds,
      units: unitsSplit(dyn, singles, singleInvocations.length, kinds.extraFeeds * singles),
    };

    progress(`freshness: ${singles} single changes done`);
    // Bursts of 50 changes to 50 different articles, all POSTed at once.
    bench.invocations.length = 0;
    bench.s3.reset();
    const burst: { visibleMs: number; postMs: number }[] = [];
    const burstInvocations: number[] = [];
    for (let b = 0; b < bursts; b++) {
      bench.dynamo.reset();
      const changes = inFeed.slice(0, BURST).map((n) => change(n));
      burst.push(...(await Promise.all(changes.map((c) => postOne(c)))));
      burstInvocations.push(renders(bench.dynamo.snapshot()));
      progress(`freshness: burst ${b + 1}/${bursts} done`);
    }
    const burstS3 = bench.s3.snapshot();

    const v1 = summarize(single.map((x) => x.visibleMs));
    const v50 = summarize(burst.map((x) => x.visibleMs));
    const p1 = summarize(single.map((x) => x.postMs));
    const p50 = summarize(burst.map((x) => x.postMs));
    const target = below(FRESHNESS_P95_TARGET_MS, 'ms', '< 1 s');
    const metrics = [
      metric('freshness.single.p50', `freshness, single changes (n=${singles}), p50`, round(v1.p50), 'ms'),
      metric('freshness.single.p95', `freshness, single changes, p95`, round(v1.p95), 'ms', target),
      metric('freshness.single.p99', `freshness, single changes, p99`, round(v1.p99), 'ms'),
      metric('freshness.burst.p50', `freshness, bursts of ${BURST} (n=${bursts * BURST}), p50`, round(v50.p50), 'ms'),
      metric('freshness.burst.p95', `freshness, bursts of ${BURST}, p95`, round(v50.p95), 'ms', target),
      metric('freshness.burst.p99', `freshness, bursts of ${BURST}, p99`, round(v50.p99), 'ms'),
    ];
    return {
      id: 'freshness',
      title: '3. Freshness (POST → visible in the served feed)',
      seconds: (performance.now() - started) / 1000,
      metrics,
      perChange,
      details: {
        poller: LOCAL_POLLER,
        feedPollIntervalMs: FEED_POLL_MS,
        single: { visibleMs: roundSummary(v1), postReturnedMs: roundSummary(p1), regenerations: renders(dyn), invocations: singleInvocations.length, streamPoller, invalidatedPathsOfOneChange: firstChangePaths, dynamo: { calls: dyn.calls, unitsByCommand: dyn.unitsByCommand, msByCommand: roundValues(dyn.msByCommand), errors: dyn.errors }, s3: s3.calls },
        bursts: {
          size: BURST,
          count: bursts,
          visibleMs: roundSummary(v50),
          postReturnedMs: roundSummary(p50),
          rendersPerBurst: burstInvocations,
          puts: burstS3.calls['PutObjectCommand'] ?? 0,
          unchangedPuts: burstS3.unchangedPuts,
        },
        perChange: Object.fromEntries(Object.entries(perChange).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])),
        dynamoByPartition: dyn.byPartition,
        feedPolls: watcher.polls,
        feedPollErrors: watcher.errors.length,
        feedPartialReads: watcher.partialReads,
        feedFullFetches: watcher.fullFetches,
      },
      notes: [
        `Through the local server: POST /articles (the ingest handler on DynamoDB Local), the stream poller emulating Lambda's event source mapping (batching window ${LOCAL_POLLER.batchingWindowMs} ms, batch size ${LOCAL_POLLER.batchSize}, idle poll every ${LOCAL_POLLER.pollIntervalMs} ms — the local defaults), the regeneration handler writing to s3rver, CloudFront-like GET /feeds/….`,
        `Latency = from sending the POST to the first GET of feed.json (conditional, every ${FEED_POLL_MS} ms, uncompressed) that carries the new version (item id and date_modified). The POST itself returns only once the poller has drained (postReturnedMs).`,
        `Each change is a new version (new updatedAt and summary) of one of the ${FEED_ITEMS} articles in the International feed (${FEED_ITEMS} items, ~3.4 KB bodies), so every change alters all three documents. Bursts: ${BURST} POSTs of one record each, sent at once, ${bursts} burst(s).`,
        'On AWS the stack\'s batching window (deploy.regeneration.batchingWindowSeconds, default 5 s) is added to every change, and DynamoDB Streams to Lambda adds its own polling delay: these figures are the pipeline\'s own latency, not the deployed one.',
      ],
    };
  } finally {
    await watcher.stop();
    await bench.close();
  }
}
