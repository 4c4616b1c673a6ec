import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { PoisonArticlesError, publishSection, type CoordinatedPublishingDeps } from '../core/publish/index.js';
import { ARTICLE_PK_PREFIX, KEY } from '../core/storage/index.js';
import { describeError, log } from './log.js';
import { lazy, publishingDepsFromEnv } from './runtime.js';

/** Sections a stream record touches: the article's section before and after (a move touches both). */
export function sectionsOf(record: DynamoDBRecord): string[] {
  const { Keys, OldImage, NewImage } = record.dynamodb ?? {};
  if (!Keys?.[KEY.partition]?.S?.startsWith(ARTICLE_PK_PREFIX)) return [];
  return [...new Set([OldImage?.['sectionSlug']?.S, NewImage?.['sectionSlug']?.S].filter((s): s is string => Boolean(s)))];
}

const articleIdOf = (record: DynamoDBRecord) => record.dynamodb?.Keys?.[KEY.partition]?.S?.slice(ARTICLE_PK_PREFIX.length);

/** Time kept back from the function's deadline when waiting for another regeneration's lease. */
const DEADLINE_MARGIN_MS = 10_000;

/**
 * Stream adapter for regeneration: publishes each touched section once per batch, whatever the
 * number of records, sections in parallel. Failures come back as partial batch failures so the
 * event source mapping retries (and bisects) just those records: all of a section that failed,
 * or only the records of articles that could not be rendered.
 */
export function createRegenerateHandler(deps: () => CoordinatedPublishingDeps) {
  return async (event: DynamoDBStreamEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<DynamoDBBatchResponse> => {
    const base = deps();
    const maxWaitMs = context ? Math.max(0, Math.min(base.maxWaitMs, context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS)) : base.maxWaitMs;
    const configured = new Set(base.config.sections.map((s) => s.slug));
    const recordsBySection = new Map<string, DynamoDBRecord[]>();
    for (const record of event.Records) {
      for (const slug of sectionsOf(record).filter((s) => configured.has(s))) {
        recordsBySection.set(slug, [...(recordsBySection.get(slug) ?? []), record]);
      }
    }
    const failed = new Set<string>();
    await Promise.all(
      [...recordsBySection].map(async ([slug, records]) => {
        try {
          const outcome = await publishSection(slug, { ...base, maxWaitMs });
          const { result, ...summary } = outcome.outcome === 'published' ? outcome : { ...outcome, result: undefined };
          log('info', 'section published', { ...summary, records: records.length, ...(result && { changedPaths: result.changedPaths, items: result.items }) });
        } catch (error) {
          const poisoned = error instanceof PoisonArticlesError ? new Set(error.articles.map((a) => a.id)) : undefined;
          const failing = poisoned ? records.filter((r) => poisoned.has(articleIdOf(r) ?? '')) : records;
          log('error', 'regeneration failed', {
            section: slug,
            records: records.length,
            failedRecords: failing.map((r) => r.dynamodb?.SequenceNumber),
            ...(error instanceof PoisonArticlesError && { poison: error.articles }),
            error: describeError(error),
          });
          for (const r of failing) failed.add(r.dynamodb?.SequenceNumber ?? '');
        }
      }),
    );
    // Lambda retries from the lowest failed sequence number; order the report the same way.
    const itemIdentifiers = [...failed].sort((a, b) => (BigInt(a || 0) < BigInt(b || 0) ? -1 : 1));
    return { batchItemFailures: itemIdentifiers.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

export const handler = createRegenerateHandler(lazy(() => publishingDepsFromEnv()));
