/**
 * What one change costs, from the counters of a series of single changes (the freshness suite's
 * edits and new articles): the numbers the monthly cost model prices.
 */
import type { DynamoCalls, S3Calls } from './instrument.js';
import { renders } from './publisher.js';
import { summarize } from './stats.js';

/** What one change costs, averaged over a series of single changes (for the cost model). */
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
  /** Of the write units, those of TransactWriteItems (as AWS bills them: twice each item's units, from the item sizes). */
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
  perArticle: { read: number; write: number };
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
    perArticle: per(article, changes),
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


/** The per-change figures of `changes` single changes, from what the counters saw meanwhile. */
export function perChangeOf(
  changes: number,
  counted: { dyn: DynamoCalls; s3: S3Calls; invocationMs: readonly number[]; invalidations: readonly string[] },
): PerChange {
  const { dyn, s3, invocationMs, invalidations } = counted;
  const firstChangePaths = invalidations.slice(0, Math.round(invalidations.length / changes));
  const kinds = putsByKind(s3.putKeys, changes);
  return {
    regenerations: renders(dyn) / changes,
    invocations: invocationMs.length / changes,
    regenerationMs: summarize([...invocationMs]).p50,
    puts: (s3.calls['PutObjectCommand'] ?? 0) / changes,
    putBytes: s3.putBytes / changes,
    heads: (s3.calls['HeadObjectCommand'] ?? 0) / changes,
    unchangedPuts: s3.unchangedPuts,
    invalidationPaths: invalidations.length / changes,
    wildcardPaths: new Set(firstChangePaths.map((p) => p.replace(/^\/+/, '').split('/').slice(0, 2).join('/'))).size,
    readUnits: dyn.readUnits / changes,
    writeUnits: dyn.writeUnits / changes,
    transactWriteUnits: (dyn.unitsByCommand['TransactWriteItemsCommand']?.write ?? 0) / changes,
    ...kinds,
    units: unitsSplit(dyn, changes, invocationMs.length, kinds.extraFeeds * changes),
  };
}
