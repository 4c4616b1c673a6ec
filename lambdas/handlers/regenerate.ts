import type { AttributeValue, Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { allTargets, targetsTouchedBy, type ArticleChange, type ArticleImage, type FeedTarget } from '../core/feeds/index.js';
import { PoisonArticlesError, publishFeed, publishSiteDocuments, reconcileArchive, type CoordinatedPublishingDeps } from '../core/publish/index.js';
import { ARTICLE_PK_PREFIX, KEY } from '../core/storage/index.js';
import { describeError, log } from './log.js';
import { lazy } from './lazy.js';
import { publishingDepsFromEnv } from './runtime.js';

function imageOf(image: Record<string, AttributeValue> | undefined): ArticleImage | undefined {
  const sectionSlug = image?.['sectionSlug']?.S;
  return sectionSlug === undefined ? undefined : { sectionSlug, feedTags: image?.['feedTags']?.SS ?? [] };
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
 * Stream adapter for regeneration: publishes each touched feed (section or tag) once per batch,
 * whatever the number of records, feeds in parallel. Failures come back as partial batch failures
 * so the event source mapping retries (and bisects) just those records: all of a feed that failed,
 * or only the records of articles that could not be rendered.
 */
export function createRegenerateHandler(deps: () => CoordinatedPublishingDeps) {
  return async (event: DynamoDBStreamEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<DynamoDBBatchResponse> => {
    const base = deps();
    const maxWaitMs = context ? Math.max(0, Math.min(base.maxWaitMs, context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS)) : base.maxWaitMs;
    const targets = allTargets(base.config);
    const touched = new Map<FeedTarget, { record: DynamoDBRecord; articleId: string }[]>();
    for (const record of event.Records) {
      const change = articleChangeOf(record);
      if (!change) continue;
      for (const target of targetsTouchedBy(targets, change)) touched.set(target, [...(touched.get(target) ?? []), { record, articleId: change.articleId }]);
    }
    const failed = new Set<string>();
    await Promise.all(
      [...touched].map(async ([target, records]) => {
        try {
          const run = { ...base, maxWaitMs };
          const archivePages = await reconcileArchive(target, records.map((r) => r.articleId), run);
          const outcome = await publishFeed(target, run, archivePages);
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
    );
    if (touched.size > 0) {
      await publishSiteDocuments(base).catch((error: unknown) => log('warn', 'site documents not published; the next run retries', { error: describeError(error) }));
    }
    // Lambda retries from the lowest failed sequence number; order the report the same way.
    const itemIdentifiers = [...failed].sort((a, b) => (BigInt(a || 0) < BigInt(b || 0) ? -1 : 1));
    return { batchItemFailures: itemIdentifiers.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

export const handler = createRegenerateHandler(lazy(() => publishingDepsFromEnv()));
