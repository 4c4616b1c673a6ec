/**
 * 1. Render: one section's three feeds for 10, 50 and 500 items with ~3.4 KB HTML bodies, ours
 * (`renderSectionFeeds`: the feed model, then the RSS, Atom and JSON Feed writers) against the
 * bare `feed` package (the same items through `new Feed`, `addItem`, `rss2()`, `atom1()`,
 * `json1()`, no fixes), interleaved in one run. Plus a breakdown of where our time goes.
 */
import { Feed } from 'feed';
import { Bench } from 'tinybench';
import type { Article } from '../../lambdas/core/article/index.js';
import type { PublisherConfig, SectionConfig } from '../../lambdas/core/config/index.js';
import { buildFeedContext, renderAtom, renderJsonFeed, renderRss, renderSectionFeeds } from '../../lambdas/core/render/index.js';
import { benchConfig, sectionArticles } from '../lib/fixtures.js';
import { atMost, metric, type SuiteResult } from '../lib/result.js';
import { percentile, round } from '../lib/stats.js';
import { profileFunction } from '../lib/profile.js';
import { progress } from '../lib/progress.js';

const FEED_BASE = 'https://feeds.news.test.example';
export const RENDER_RATIO_TARGET = 0.8;

/** The baseline's Feed: the same channel and items, given to `feed` as they are, no fixes. */
export function bareFeed(config: PublisherConfig, section: SectionConfig, articles: readonly Article[]): Feed {
  const self = (file: string) => `${FEED_BASE}/feeds/${section.slug}/${file}`;
  const feed = new Feed({
    id: `tag:${config.itemIdAuthority}:section/${section.slug}`,
    title: section.title,
    description: section.description,
    link: config.siteUrl,
    language: config.language,
    updated: new Date(articles.reduce((max, a) => Math.max(max, Date.parse(a.updatedAt)), 0)),
    generator: 'section-feed-publisher',
    feedLinks: { rss: self('rss.xml'), atom: self('atom.xml'), json: self('feed.json') },
  });
  for (const a of articles) {
    feed.addItem({
      title: a.title,
      id: `tag:${config.itemIdAuthority}:article/${a.id}`,
      link: a.url,
      date: new Date(a.updatedAt),
      published: new Date(a.publishedAt),
      description: a.summary,
      content: a.contentHtml,
      author: a.authors.map((au) => ({ name: au.name, ...(au.url && { link: au.url }) })),
      category: a.tags.map((name) => ({ name })),
      ...(a.image && { image: a.image.url }),
    });
  }
  return feed;
}

/** The baseline: what the bare `feed` package gives for the same items, all three formats. */
export function renderBare(config: PublisherConfig, section: SectionConfig, articles: readonly Article[]): { rss: string; atom: string; json: string } {
  const feed = bareFeed(config, section, articles);
  return { rss: feed.rss2(), atom: feed.atom1(), json: feed.json1() };
}

const bytes = (docs: Record<string, string | { body: string }>) =>
  Object.values(docs).reduce((sum, d) => sum + Buffer.byteLength(typeof d === 'string' ? d : d.body), 0);

interface Timing {
  p50: number;
  p95: number;
  mean: number;
  samples: number;
}

/**
 * Times tasks with tinybench in several short rounds, alternating their order each round, and
 * pools the samples: on a shared 2-core machine this spreads background noise over both sides
 * of a comparison instead of letting it land on whichever ran second.
 */
async function timeTasks(tasks: Record<string, () => unknown>, options: { rounds: number; timeMs: number; warmupMs: number }): Promise<Record<string, Timing>> {
  const samples = new Map<string, number[]>(Object.keys(tasks).map((k) => [k, []]));
  for (let round = 0; round < options.rounds; round++) {
    const names = round % 2 === 0 ? Object.keys(tasks) : Object.keys(tasks).reverse();
    const bench = new Bench({ time: options.timeMs, iterations: 5, warmupTime: options.warmupMs, warmupIterations: 2, retainSamples: true, throws: true });
    for (const name of names) bench.add(name, tasks[name]!);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== 'completed') throw new Error(`render bench task ${task.name}: ${result.state}`);
      const pooled = samples.get(task.name)!;
      for (const sample of result.latency.samples ?? []) pooled.push(sample);
    }
  }
  return Object.fromEntries(
    [...samples].map(([name, s]) => [name, { p50: percentile(s, 50), p95: percentile(s, 95), mean: s.reduce((a, b) => a + b, 0) / s.length, samples: s.length }]),
  );
}

export async function renderSuite(options: { quick: boolean }): Promise<SuiteResult> {
  const started = performance.now();
  const config = benchConfig(500);
  const section = config.sections[0]!;
  const sizes = [10, 50, 500];
  const all = sectionArticles(config, 500, section.name);
  const timing = { rounds: options.quick ? 1 : 4, timeMs: options.quick ? 120 : 700, warmupMs: options.quick ? 20 : 150 };
  const metrics = [];
  const details: Record<string, unknown> = { bodyBytesMedian: percentile(all.map((a) => Buffer.byteLength(a.contentHtml)), 50), timing };

  for (const n of sizes) {
    const articles = all.slice(0, n);
    // Same bytes every run, so equal inputs mean equal work; check both sides produce documents first.
    const ours = renderSectionFeeds(config, section, FEED_BASE, articles);
    const bare = renderBare(config, section, articles);
    const t = await timeTasks(
      { ours: () => renderSectionFeeds(config, section, FEED_BASE, articles), bare: () => renderBare(config, section, articles) },
      timing,
    );
    const ratio = t['ours']!.p50 / t['bare']!.p50;
    details[`items${n}`] = {
      ours: { ...roundTiming(t['ours']!), bytes: bytes(ours) },
      bare: { ...roundTiming(t['bare']!), bytes: bytes(bare) },
      ratioP50: round(ratio),
      ratioP95: round(t['ours']!.p95 / t['bare']!.p95),
    };
    metrics.push(metric(`render.ours.p50.${n}`, `render ${n} items, ours (p50 / p95 ${round(t['ours']!.p95)} ms, ${kib(bytes(ours))} KiB)`, round(t['ours']!.p50), 'ms'));
    metrics.push(metric(`render.bare.p50.${n}`, `render ${n} items, bare feed 6.0.0 (p50 / p95 ${round(t['bare']!.p95)} ms, ${kib(bytes(bare))} KiB)`, round(t['bare']!.p50), 'ms'));
    progress(`render: ${n} items done`);
    metrics.push(metric(`render.ratio.${n}`, `render ${n} items, ours / bare (p50)`, round(ratio), '×', atMost(RENDER_RATIO_TARGET, '×')));
    metrics.push(metric(`render.ours.mibps.${n}`, `render ${n} items, ours: output MiB per second (p50)`, round(mibPerSecond(bytes(ours), t['ours']!.p50)), 'MiB/s'));
    metrics.push(metric(`render.bare.mibps.${n}`, `render ${n} items, bare: output MiB per second (p50)`, round(mibPerSecond(bytes(bare), t['bare']!.p50)), 'MiB/s'));
  }

  // Where our time goes, for 50 items: the parts of renderSectionFeeds, and the bare package's.
  if (options.quick) return { id: 'render', title: '1. Render (three formats, one section)', seconds: (performance.now() - started) / 1000, metrics, details, notes: ['Quick run: one short round per task, no breakdown.'] };
  const articles = all.slice(0, 50);
  const ctx = buildFeedContext(config, section, FEED_BASE, articles);
  const opts = { fullText: true };
  const prebuilt = bareFeed(config, section, articles);
  const parts = await timeTasks(
    {
      'ours: buildFeedContext': () => buildFeedContext(config, section, FEED_BASE, articles),
      'ours: renderRss': () => renderRss(ctx, opts),
      'ours: renderAtom': () => renderAtom(ctx, opts),
      'ours: renderJsonFeed': () => renderJsonFeed(ctx, opts),
      'bare: new Feed + addItem ×50': () => bareFeed(config, section, articles),
      'bare: rss2()': () => prebuilt.rss2(),
      'bare: atom1()': () => prebuilt.atom1(),
      'bare: json1()': () => prebuilt.json1(),
    },
    { ...timing, rounds: Math.max(1, timing.rounds / 2), timeMs: timing.timeMs / 2 },
  );
  details['breakdown50'] = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, { p50Ms: round(v.p50), p95Ms: round(v.p95) }]));
  // A CPU profile of our render (50 items): which functions and packages the time goes to.
  details['profile50'] = await profileFunction(() => renderSectionFeeds(config, section, FEED_BASE, articles), { seconds: 4 });
  progress('render: breakdown and profile done');

  const notes = [
    `Bodies are synthetic lorem-style HTML of ~${Math.round((details['bodyBytesMedian'] as number) / 100) / 10} KB (paragraphs, links, lists, quotes), validated and sanitized like ingest does; 500 distinct articles, newest first.`,
    'The baseline renders the same items with the bare `feed` 6.0.0 (one Feed, rss2() + atom1() + json1(), no fixes); ours builds the feed model (XML-invalid characters dropped once per article) and writes RSS 2.0, Atom 1.0 and JSON Feed 1.1 directly (render/xml.ts, render/ext/), with every element of the README.',
    `Timing: tinybench, ${timing.rounds} rounds of ~${timing.timeMs} ms per task alternating the order, samples pooled; p50 and p95 over all samples.`,
  ];
  notes.push('Where the time goes: details.breakdown50 (parts timed alone) and details.profile50 (CPU profile of our render, self time); a miss is analysed in bench/RESULTS.md.');
  return { id: 'render', title: '1. Render (three formats, one section)', seconds: (performance.now() - started) / 1000, metrics, details, notes };
}

const kib = (n: number) => Math.round(n / 1024);
const mibPerSecond = (byteCount: number, ms: number) => byteCount / 1024 / 1024 / (ms / 1000);
const roundTiming = (t: Timing) => ({ p50Ms: round(t.p50), p95Ms: round(t.p95), meanMs: round(t.mean), samples: t.samples });
