import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { PublisherConfig } from '../core/config/index.js';
import { PoisonArticlesError, publishFeed, publishSiteDocuments, reconcileArchive, targetByKey, type CoordinatedPublishingDeps } from '../core/publish/index.js';
import { ARTICLE_PK_PREFIX, KEY } from '../core/storage/index.js';
import { describeError, log } from './log.js';
import { lazy, publishingDepsFromEnv } from './runtime.js';

/** Sections a stream record touches: the article's section before and after (a move touches both). */
export function sectionsOf(record: DynamoDBRecord): string[] {
  const { Keys, OldImage, NewImage } = record.dynamodb ?? {};
  if (!Keys?.[KEY.partition]?.S?.startsWith(ARTICLE_PK_PREFIX)) return [];
  return [...new Set([OldImage?.['sectionSlug']?.S, NewImage?.['sectionSlug']?.S].filter((s): s is string => Boolean(s)))];
}

/** Tag feeds a stream record touches: those of the article's configured tags before and after. */
export function tagFeedsOf(record: DynamoDBRecord): string[] {
  const { Keys, OldImage, NewImage } = record.dynamodb ?? {};
  if (!Keys?.[KEY.partition]?.S?.startsWith(ARTICLE_PK_PREFIX)) return [];
  return [...new Set([...(OldImage?.['feedTags']?.SS ?? []), ...(NewImage?.['feedTags']?.SS ?? [])])];
}

/** Feed targets (`section/…`, `tag/…`) a record touches, among those configured. */
export function targetsOf(record: DynamoDBRecord, config: PublisherConfig): string[] {
  const sections = new Set(config.sections.map((s) => s.slug));
  const tags = new Set(config.tagFeeds.map((t) => t.slug));
  return [
    ...sectionsOf(record).filter((s) => sections.has(s)).map((s) => `section/${s}`),
    ...tagFeedsOf(record).filter((t) => tags.has(t)).map((t) => `tag/${t}`),
  ];
}

const articleIdOf = (record: DynamoDBRecord) => record.dynamodb?.Keys?.[KEY.partition]?.S?.slice(ARTICLE_PK_PREFIX.length);

/** Time kept back from the function's deadline when waiting for another regeneration's lease. */
const DEADLINE_MARGIN_MS = 10_000;

/**
 * Stream adapter for regeneration: publishes each touched feed (section or tag) once per batch,
 * whatever the number of records, feeds in parallel. Failures come back as partial batch failures
 * so the event source mapping retries (and bisects) just those records: all of a feed that failed,
 * or only the records of articles that could not be rendered.
 */
export function createRegenerateHandler(deps: () => CoordinatedPublishingDeps) {
  return async (event: DynamoDBStreamEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<DynamoDBBatchResponse> => {
    const base = deps();
    const maxWaitMs = context ? Math.max(0, Math.min(base.maxWaitMs, context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS)) : base.maxWaitMs;
    const recordsByTarget = new Map<string, DynamoDBRecord[]>();
    for (const record of event.Records) {
      for (const key of targetsOf(record, base.config)) recordsByTarget.set(key, [...(recordsByTarget.get(key) ?? []), record]);
    }
    const failed = new Set<string>();
    await Promise.all(
      [...recordsByTarget].map(async ([key, records]) => {
        try {
          const target = targetByKey(base.config, key);
          const deps = { ...base, maxWaitMs };
          const archivePages = await reconcileArchive(target, records.map((r) => articleIdOf(r) ?? ''), deps);
          const outcome = await publishFeed(target, deps, archivePages);
          const { result, ...summary } = outcome.outcome === 'published' ? outcome : { ...outcome, result: undefined };
          log('info', 'feed published', { ...summary, records: records.length, ...(result && { changedPaths: result.changedPaths, items: result.items }) });
        } catch (error) {
          const poisoned = error instanceof PoisonArticlesError ? new Set(error.articles.map((a) => a.id)) : undefined;
          const failing = poisoned ? records.filter((r) => poisoned.has(articleIdOf(r) ?? '')) : records;
          log('error', 'regeneration failed', {
            feed: key,
            records: records.length,
            failedRecords: failing.map((r) => r.dynamodb?.SequenceNumber),
            ...(error instanceof PoisonArticlesError && { poison: error.articles }),
            error: describeError(error),
          });
          for (const r of failing) failed.add(r.dynamodb?.SequenceNumber ?? '');
        }
      }),
    );
    if (recordsByTarget.size > 0) {
      await publishSiteDocuments(base).catch((error: unknown) => log('warn', 'site documents not published; the next run retries', { error: describeError(error) }));
    }
    // Lambda retries from the lowest failed sequence number; order the report the same way.
    const itemIdentifiers = [...failed].sort((a, b) => (BigInt(a || 0) < BigInt(b || 0) ? -1 : 1));
    return { batchItemFailures: itemIdentifiers.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

export const handler = createRegenerateHandler(lazy(() => publishingDepsFromEnv()));
