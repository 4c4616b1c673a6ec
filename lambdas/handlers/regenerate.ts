import type { AttributeValue, Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { changeTimeOf, targetsOfChange, type ArticleChange, type ArticleImage, type FeedTarget } from '../core/feeds/index.js';
import {
  newsSitemapTouchedBy,
  PoisonArticlesError,
  publishFeed,
  publishNewsSitemap,
  publishSiteDocuments,
  reconcileArchive,
  type CoordinatedPublishingDeps,
} from '../core/publish/index.js';
import { ARTICLE_PK_PREFIX, KEY } from '../core/storage/index.js';
import { describeError, log } from './log.js';
import { lazy, publishingDepsFromEnv } from './runtime.js';

function imageOf(image: Record<string, AttributeValue> | undefined): ArticleImage | undefined {
  const sectionSlug = image?.['sectionSlug']?.S;
  if (sectionSlug === undefined) return undefined;
  const updatedAtMs = Number(image?.['updatedAtMs']?.N);
  return {
    sectionSlug,
    feedTags: image?.['feedTags']?.SS ?? [],
    feedAuthors: image?.['feedAuthors']?.SS ?? [],
    ...(Number.isFinite(updatedAtMs) && { updatedAtMs }),
  };
}

/** The article change a stream record carries (old and new image), or undefined for anything but an article item. */
export function articleChangeOf(record: DynamoDBRecord): ArticleChange | undefined {
  const { Keys, OldImage, NewImage } = record.dynamodb ?? {};
  const pk = Keys?.[KEY.partition]?.S;
  if (!pk?.startsWith(ARTICLE_PK_PREFIX)) return undefined;
  const old = imageOf(OldImage);
  const now = imageOf(NewImage);
  return { articleId: pk.slice(ARTICLE_PK_PREFIX.length), ...(old && { old }), ...(now && { new: now }) };
}

/** Time kept back from the function's deadline when waiting for another regeneration's lease. */
const DEADLINE_MARGIN_MS = 10_000;

/**
 * Stream adapter for regeneration: publishes each touched feed (section, tag or author: the old
 * and new images name them) once per batch,
 * whatever the number of records, feeds in parallel. Failures come back as partial batch failures
 * so the event source mapping retries (and bisects) just those records: all of a feed that failed,
 * or only the records of articles that could not be rendered.
 */
export function createRegenerateHandler(deps: () => CoordinatedPublishingDeps) {
  return async (event: DynamoDBStreamEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<DynamoDBBatchResponse> => {
    const base = deps();
    const maxWaitMs = context ? Math.max(0, Math.min(base.maxWaitMs, context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS)) : base.maxWaitMs;
    const touched = new Map<string, { target: FeedTarget; changedAtMs?: number; records: { record: DynamoDBRecord; articleId: string }[] }>();
    const sitemapRecords: DynamoDBRecord[] = [];
    for (const record of event.Records) {
      const change = articleChangeOf(record);
      if (!change) continue;
      if (newsSitemapTouchedBy(change)) sitemapRecords.push(record);
      const at = changeTimeOf(change);
      for (const target of targetsOfChange(base.config, change)) {
        const entry = touched.get(target.key) ?? { target, records: [] };
        entry.records.push({ record, articleId: change.articleId });
        if (at !== undefined) entry.changedAtMs = Math.max(entry.changedAtMs ?? at, at);
        touched.set(target.key, entry);
      }
    }
    const failed = new Set<string>();
    // The news sitemap reads the table, not the feeds: it is published alongside them. It fails
    // its records like a feed does, so the retry brings it up to date (a retraction must leave it).
    const sitemap = async () => {
      if (sitemapRecords.length === 0) return;
      try {
        const outcome = await publishNewsSitemap({ ...base, maxWaitMs });
        const { result } = outcome.outcome === 'published' ? outcome : { result: undefined };
        log('info', 'news sitemap published', { outcome: outcome.outcome, renders: outcome.renders, records: sitemapRecords.length, ...(result && { changed: result.changed, items: result.items }) });
        if (result && result.unreadable.length > 0) log('warn', 'news sitemap published without unreadable articles', { unreadable: result.unreadable });
      } catch (error) {
        log('error', 'news sitemap failed', { records: sitemapRecords.length, failedRecords: sitemapRecords.map((r) => r.dynamodb?.SequenceNumber), error: describeError(error) });
        for (const r of sitemapRecords) failed.add(r.dynamodb?.SequenceNumber ?? '');
      }
    };
    await Promise.all([
      sitemap(),
      ...[...touched.values()].map(async ({ target, records, changedAtMs }) => {
        try {
          const run = { ...base, maxWaitMs };
          const archivePages = await reconcileArchive(target, records.map((r) => r.articleId), run);
          const outcome = await publishFeed(target, run, archivePages, changedAtMs);
          const { result, ...summary } = outcome.outcome === 'published' ? outcome : { ...outcome, result: undefined };
          log('info', 'feed published', { ...summary, records: records.length, ...(result && { changedPaths: result.changedPaths, items: result.items }) });
        } catch (error) {
          const poisoned = error instanceof PoisonArticlesError ? new Set(error.articles.map((a) => a.id)) : undefined;
          const failing = poisoned ? records.filter((r) => poisoned.has(r.articleId)) : records;
          log('error', 'regeneration failed', {
            feed: target.key,
            records: records.length,
            failedRecords: failing.map((r) => r.record.dynamodb?.SequenceNumber),
            ...(error instanceof PoisonArticlesError && { poison: error.articles }),
            error: describeError(error),
          });
          for (const r of failing) failed.add(r.record.dynamodb?.SequenceNumber ?? '');
        }
      }),
    ]);
    if (touched.size > 0) {
      await publishSiteDocuments(base).catch((error: unknown) => log('warn', 'site documents not published; the next run retries', { error: describeError(error) }));
    }
    // Lambda retries from the lowest failed sequence number; order the report the same way.
    const itemIdentifiers = [...failed].sort((a, b) => (BigInt(a || 0) < BigInt(b || 0) ? -1 : 1));
    return { batchItemFailures: itemIdentifiers.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

export const handler = createRegenerateHandler(lazy(() => publishingDepsFromEnv()));
