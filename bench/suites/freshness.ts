/**
 * 3. Freshness: change → visible in the served feed, through the local server's HTTP API. Each
 * change is a POST of a new version of an article in the feed; from the moment the POST is sent,
 * the served feed.json is polled (conditional GETs) until it carries that version.
 */
import { benchConfig, benchRecord, toArticles } from '../lib/fixtures.js';
import { looks, renders, startBenchPublisher, type BenchPublisher, type PollerSettings } from '../lib/publisher.js';
import { perChangeOf, type PerChange } from '../lib/perChange.js';
import type { LocalServers } from '../lib/localStack.js';
import { below, metric, type SuiteResult } from '../lib/result.js';
import { round, roundSummary, summarize } from '../lib/stats.js';
import { progress } from '../lib/progress.js';

export const FRESHNESS_P95_TARGET_MS = 1000;
/** The local publisher's defaults (local/streamPoller.ts), given explicitly so the report can say them. */
export const LOCAL_POLLER: Required<PollerSettings> = { batchingWindowMs: 100, batchSize: 1000, pollIntervalMs: 25 };
const FEED_POLL_MS = 10;
const roundValues = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v)]));
const VISIBLE_TIMEOUT_MS = 30_000;
const FEED_ITEMS = 50;
const SEEDED = 60;
const TAG_SLUG = 'bench';

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

export async function freshnessSuite(servers: LocalServers, options: { quick: boolean }): Promise<SuiteResult & { perChange: PerChange; perNewArticle: PerChange }> {
  const started = performance.now();
  const singles = options.quick ? 8 : 200;
  const bursts = options.quick ? 1 : 4;
  const newArticles = options.quick ? 4 : 40;
  const BURST = options.quick ? 10 : 50;
  const config = benchConfig(FEED_ITEMS);
  const section = config.sections[0]!;
  const publishedAt = (n: number) => Date.parse('2025-06-01T00:00:00Z') + n * 60_000;
  const seed = toArticles(config, Array.from({ length: SEEDED }, (_, i) => benchRecord({ n: i + 1, section: section.name, prefix: 'fresh', publishedAtMs: publishedAt(i + 1) })));
  const bench: BenchPublisher = await startBenchPublisher(servers, config, seed, LOCAL_POLLER);
  const itemId = (id: string) => `tag:${config.itemIdAuthority}:article/${id}`;
  const watcher = new FeedWatcher(`${bench.publisher.url}/feeds/${section.slug}/feed.json`, itemId);
  // An automatic feed the same change is in (every bench record is tagged "Bench"): published after the section.
  const tagWatcher = new FeedWatcher(`${bench.publisher.url}/feeds/tags/${TAG_SLUG}/feed.json`, itemId);
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
    type Change = { record: Record<string, unknown>; id: string; modified: string };
    const postOne = async (c: Change) => {
      const w = watcher.watch(c.id, c.modified);
      const t = tagWatcher.watch(c.id, c.modified);
      w.start();
      t.start();
      const res = await bench.post(c.record);
      const status = (res.json as { results?: { status: string }[] }).results?.[0]?.status;
      if (res.status !== 200 || status !== 'stored') throw new Error(`freshness POST: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
      const seen = (visible: Promise<number>, feed: FeedWatcher, name: string) =>
        Promise.race([
          visible,
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`freshness: ${c.id} @ ${c.modified} not visible in the served ${name} after ${VISIBLE_TIMEOUT_MS} ms (${feed.polls} polls, ${feed.errors.length} errors${feed.errors.length ? `: ${feed.errors.at(-1)}` : ''})`)), VISIBLE_TIMEOUT_MS).unref()),
        ]);
      const [visibleMs, tagVisibleMs] = await Promise.all([seen(w.visible, watcher, 'feed.json'), seen(t.visible, tagWatcher, `tags/${TAG_SLUG}/feed.json`)]);
      return { visibleMs, tagVisibleMs, postMs: res.ms };
    };

    /** A series of single changes, one at a time, with the counters reset before it. */
    const series = async (count: number, next: (i: number) => Change, label: string) => {
      bench.dynamo.reset();
      bench.s3.reset();
      bench.invocations.length = 0;
      bench.invalidations.length = 0;
      const pollerBefore = { ...bench.publisher.poller.stats };
      const timings: { visibleMs: number; tagVisibleMs: number; postMs: number }[] = [];
      for (let i = 0; i < count; i++) {
        timings.push(await postOne(next(i)));
        if ((i + 1) % 50 === 0 && i + 1 < count) progress(`freshness: ${i + 1} ${label} done`);
      }
      const invocationMs = bench.invocations.map((inv) => inv.ms);
      const streamPoller = Object.fromEntries(Object.entries(bench.publisher.poller.stats).map(([k, v]) => [k, v - (pollerBefore[k as keyof typeof pollerBefore] ?? 0)]));
      const dyn = bench.dynamo.snapshot();
      const s3 = bench.s3.snapshot();
      const invalidations = [...bench.invalidations];
      return { timings, invocationMs, streamPoller, dyn, s3, firstChangePaths: invalidations.slice(0, Math.round(invalidations.length / count)), perChange: perChangeOf(count, { dyn, s3, invocationMs, invalidations }) };
    };

    // Single changes, one at a time: edits of articles in the feed.
    const edits = await series(singles, (i) => change(inFeed[i % inFeed.length]!), 'single changes');
    const { timings: single, dyn, s3, streamPoller, firstChangePaths, perChange } = edits;
    const singleInvocations = edits.invocationMs;
    progress(`freshness: ${singles} single changes done`);
    // Bursts of 50 changes to 50 different articles, all POSTed at once. The first is a warm-up, as
    // the other suites have one: the burst path (50 concurrent ingests, catching up) runs here for the
    // first time, in Node and in DynamoDB Local's JVM; its figure is reported, not counted.
    const sendBurst = () => Promise.all(inFeed.slice(0, BURST).map((n) => postOne(change(n))));
    const warmUpMs = options.quick ? undefined : Math.max(...(await sendBurst()).map((t) => t.visibleMs));
    bench.invocations.length = 0;
    bench.s3.reset();
    const burst: { visibleMs: number; tagVisibleMs: number; postMs: number }[] = [];
    const burstInvocations: number[] = [];
    const burstLooks: number[] = [];
    const burstTimeline: { lastStoredMs: number; lastVisibleMs: number }[] = [];
    for (let b = 0; b < bursts; b++) {
      bench.dynamo.reset();
      const sent = performance.now();
      const timings = await sendBurst();
      burst.push(...timings);
      const snap = bench.dynamo.snapshot();
      burstInvocations.push(renders(snap));
      burstLooks.push(looks(snap));
      // Ingest is the only writer of transactions: its last one is when the burst's last change was stored.
      burstTimeline.push({ lastStoredMs: (snap.lastEndedAt['TransactWriteItemsCommand'] ?? sent) - sent, lastVisibleMs: Math.max(...timings.map((t) => t.visibleMs)) });
      progress(`freshness: burst ${b + 1}/${bursts} done`);
    }
    const burstS3 = bench.s3.snapshot();

    // New articles, one at a time (after the bursts, which edit the feed's articles): each enters the
    // feed as its newest item, takes an archive slot and is listed in the news sitemap.
    const created = await series(newArticles, (i) => {
      const n = SEEDED + 1 + i;
      const record = benchRecord({ n, section: section.name, prefix: 'fresh', publishedAtMs: publishedAt(n) });
      return { record, id: String(record['id']), modified: new Date(publishedAt(n)).toISOString() };
    }, 'new articles');
    const vNew = summarize(created.timings.map((x) => x.visibleMs));

    const v1 = summarize(single.map((x) => x.visibleMs));
    const v50 = summarize(burst.map((x) => x.visibleMs));
    const t1 = summarize(single.map((x) => x.tagVisibleMs));
    const t50 = summarize(burst.map((x) => x.tagVisibleMs));
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
      metric('freshness.burst.lastStored.p50', `bursts of ${BURST}: the burst's last change stored (its ingest transaction committed), median over bursts; its last change visible: median ${round(summarize(burstTimeline.map((b) => b.lastVisibleMs)).p50)} ms`, round(summarize(burstTimeline.map((b) => b.lastStoredMs)).p50), 'ms'),
      metric('freshness.newArticle.p50', `freshness, new articles one at a time (n=${newArticles}), p50`, round(vNew.p50), 'ms'),
      metric('freshness.newArticle.p95', `freshness, new articles one at a time, p95`, round(vNew.p95), 'ms'),
      metric('freshness.tag.single.p95', `freshness of the same changes in an automatic tag feed (tags/${TAG_SLUG}), single changes, p95 (p50 ${round(t1.p50)} ms)`, round(t1.p95), 'ms'),
      metric('freshness.tag.burst.p95', `freshness of the same changes in an automatic tag feed (tags/${TAG_SLUG}), bursts of ${BURST}, p95 (p50 ${round(t50.p50)} ms)`, round(t50.p95), 'ms'),
    ];
    return {
      id: 'freshness',
      title: '3. Freshness (POST → visible in the served feed)',
      seconds: (performance.now() - started) / 1000,
      metrics,
      perChange,
      perNewArticle: created.perChange,
      details: {
        poller: LOCAL_POLLER,
        feedPollIntervalMs: FEED_POLL_MS,
        single: { visibleMs: roundSummary(v1), postReturnedMs: roundSummary(p1), regenerations: renders(dyn), invocations: singleInvocations.length, streamPoller, invalidatedPathsOfOneChange: firstChangePaths, dynamo: { calls: dyn.calls, unitsByCommand: dyn.unitsByCommand, msByCommand: roundValues(dyn.msByCommand), errors: dyn.errors }, s3: s3.calls },
        bursts: {
          size: BURST,
          count: bursts,
          ...(warmUpMs !== undefined && { warmUpLastVisibleMs: round(warmUpMs) }),
          visibleMs: roundSummary(v50),
          postReturnedMs: roundSummary(p50),
          rendersPerBurst: burstInvocations,
          looksPerBurst: burstLooks,
          lastStoredMs: burstTimeline.map((b) => round(b.lastStoredMs)),
          lastVisibleMs: burstTimeline.map((b) => round(b.lastVisibleMs)),
          puts: burstS3.calls['PutObjectCommand'] ?? 0,
          unchangedPuts: burstS3.unchangedPuts,
        },
        perChange: Object.fromEntries(Object.entries(perChange).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])),
        dynamoByPartition: dyn.byPartition,
        newArticles: { visibleMs: roundSummary(vNew), perChange: Object.fromEntries(Object.entries(created.perChange).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])), dynamoByPartition: created.dyn.byPartition, s3: created.s3.calls },
        tagFeed: { slug: TAG_SLUG, single: roundSummary(t1), bursts: roundSummary(t50), polls: tagWatcher.polls },
        feedPolls: watcher.polls,
        feedPollErrors: watcher.errors.length,
        feedPartialReads: watcher.partialReads,
        feedFullFetches: watcher.fullFetches,
      },
      notes: [
        `Through the local server: POST /articles (the ingest handler on DynamoDB Local), the stream poller emulating Lambda's event source mapping (batching window ${LOCAL_POLLER.batchingWindowMs} ms, batch size ${LOCAL_POLLER.batchSize}, idle poll every ${LOCAL_POLLER.pollIntervalMs} ms — the local defaults), the regeneration handler writing to s3rver, CloudFront-like GET /feeds/….`,
        `Latency = from sending the POST to the first GET of feed.json (conditional, every ${FEED_POLL_MS} ms, uncompressed) that carries the new version (item id and date_modified). The POST itself returns only once the poller has drained (postReturnedMs). The automatic tag feed tags/${TAG_SLUG}, which holds the same articles, is watched the same way: a batch publishes it after the section.`,
        `Each change is a new version (new updatedAt and summary) of one of the ${FEED_ITEMS} articles in the International feed (${FEED_ITEMS} items, ~3.4 KB bodies), so every change alters all three documents. Bursts: ${BURST} POSTs of one record each, sent at once, ${bursts} burst(s)${warmUpMs !== undefined ? ` after a warm-up burst, not counted (its last change visible at ${round(warmUpMs)} ms)` : ''}. Then ${newArticles} new articles one at a time, each the feed's newest item (priced beside the edits in the cost model).`,
        'On AWS the stack\'s batching window (deploy.regeneration.batchingWindowSeconds, default 5 s) is added to every change, and DynamoDB Streams to Lambda adds its own polling delay: these figures are the pipeline\'s own latency, not the deployed one.',
      ],
    };
  } finally {
    await Promise.all([watcher.stop(), tagWatcher.stop()]);
    await bench.close();
  }
}
