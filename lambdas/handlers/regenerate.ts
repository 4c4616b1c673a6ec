import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { leavingTimeOf, targetsOfChange, type FeedTarget } from '../core/feeds/index.js';
import {
  catchUpsFor,
  newsSitemapTouchedBy,
  PoisonArticlesError,
  publishFeed,
  publishNewsSitemap,
  publishSiteDocuments,
  reconcileArchive,
  type CoordinatedPublishingDeps,
} from '../core/publish/index.js';
import { isPublicationDue, type PublicationDueEvent } from '../core/schedule/index.js';
import { describeError, log } from './log.js';
import { boundedByDeadline, createPublicationDueHandler, remainingWaitMs } from './publicationDue.js';
import { createPublicationDueQueueHandler, isSqsEvent } from './publicationDueQueue.js';
import { publishDueSoon, syncPublicationTimers } from './publicationTimers.js';
import { lazy } from './lazy.js';
import { publishingDepsFromEnv } from './runtime.js';
import { articleChangeOf } from './streamRecords.js';

interface Touched {
  target: FeedTarget;
  changedAtMs?: number;
  records: { record: DynamoDBRecord; articleId: string }[];
}

/**
 * Stream adapter for regeneration: publishes each touched feed (section, tag or author: the old
 * and new images name them) once per batch, whatever the number of records, and keeps scheduled
 * articles' timers in line with their changes. The configured feeds (sections, which partners
 * pull, and configured tag feeds) go first, in parallel; the automatic tag and author feeds follow
 * once they are out, so a batch's section is out before its twenty tag feeds are. A feed that the
 * batch brings a burst of changes (catchUpsFor) catches up with those stored while it renders, so
 * they do not wait for the rest of the invocation and the next batch. Failures
 * come back as partial batch failures so the event source mapping retries (and bisects) just those
 * records: all of a feed that failed, only the records of articles that could not be rendered,
 * or those whose timer could not be set.
 */
export function createRegenerateHandler(deps: () => CoordinatedPublishingDeps) {
  return async (event: DynamoDBStreamEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<DynamoDBBatchResponse> => {
    const base = deps();
    const touched = new Map<string, Touched>();
    const sitemapRecords: DynamoDBRecord[] = [];
    for (const record of event.Records) {
      const change = articleChangeOf(record);
      if (!change) continue;
      if (newsSitemapTouchedBy(change)) sitemapRecords.push(record);
      for (const target of targetsOfChange(base.config, change)) {
        const entry = touched.get(target.key) ?? { target, records: [] };
        entry.records.push({ record, articleId: change.articleId });
        const at = leavingTimeOf(change, target);
        if (at !== undefined) entry.changedAtMs = Math.max(entry.changedAtMs ?? at, at);
        touched.set(target.key, entry);
      }
    }
    const failed = new Set<string>();
    // Each phase waits for a lease only as long as the time left when it starts allows.
    const bounded = () => boundedByDeadline(base, context);
    const run = bounded();
    // The news sitemap reads the table, not the feeds: it is published alongside them. It fails
    // its records like a feed does, so the retry brings it up to date (a retraction must leave it).
    const sitemap = async () => {
      if (sitemapRecords.length === 0) return;
      try {
        const outcome = await publishNewsSitemap(run);
        const { result } = outcome.outcome === 'published' ? outcome : { result: undefined };
        log('info', 'news sitemap published', { outcome: outcome.outcome, renders: outcome.renders, records: sitemapRecords.length, ...(result && { changed: result.changed, items: result.items }) });
        if (result && result.unreadable.length > 0) log('warn', 'news sitemap published without unreadable articles', { unreadable: result.unreadable });
      } catch (error) {
        log('error', 'news sitemap failed', { records: sitemapRecords.length, failedRecords: sitemapRecords.map((r) => r.dynamodb?.SequenceNumber), error: describeError(error) });
        for (const r of sitemapRecords) failed.add(r.dynamodb?.SequenceNumber ?? '');
      }
    };
    const publishTouched = (phase: CoordinatedPublishingDeps) => async ({ target, records, changedAtMs }: Touched) => {
      try {
        const archivePages = await reconcileArchive(target, records.map((r) => r.articleId), phase);
        const outcome = await publishFeed(target, phase, { dirtyArchivePages: archivePages, changedAtMs, catchUps: catchUpsFor(records.length) });
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
    };
    const configuredFirst = async () => {
      const feeds = [...touched.values()];
      await Promise.all(feeds.filter((f) => !f.target.automatic).map(publishTouched(run)));
      await Promise.all(feeds.filter((f) => f.target.automatic).map(publishTouched(bounded())));
    };
    const [timers] = await Promise.all([
      syncPublicationTimers(event.Records, run),
      sitemap(),
      configuredFirst(),
    ]);
    for (const r of timers.failed) failed.add(r.dynamodb?.SequenceNumber ?? '');
    if (touched.size > 0) {
      await publishSiteDocuments(base).catch((error: unknown) => log('warn', 'site documents not published; the next run retries', { error: describeError(error) }));
    }
    // Due sooner than a timer could fire: delayed to the instant (deployed), or published at it here (local).
    if (timers.dueSoon.length > 0) {
      const waitMs = remainingWaitMs(context, base.maxWaitMs);
      await publishDueSoon(timers.dueSoon, bounded(), waitMs).catch((error: unknown) => {
        log('error', 'publication due soon failed; its records are retried', { error: describeError(error) });
        const ids = new Set(timers.dueSoon.map((p) => p.articleId));
        for (const r of event.Records) if (ids.has(articleChangeOf(r)?.articleId ?? '')) failed.add(r.dynamodb?.SequenceNumber ?? '');
      });
    }
    // Lambda retries from the lowest failed sequence number; order the report the same way.
    const itemIdentifiers = [...failed].sort((a, b) => (BigInt(a || 0) < BigInt(b || 0) ? -1 : 1));
    return { batchItemFailures: itemIdentifiers.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

type RegenerationContext = Pick<Context, 'getRemainingTimeInMillis' | 'invokedFunctionArn'>;

/** The function's own ARN without a qualifier: the target its publication schedules invoke. */
export function unqualifiedFunctionArn(arn: string): string {
  return arn.split(':').slice(0, 7).join(':');
}

let ownArn: string | undefined;
const depsFromEnv = lazy(() => publishingDepsFromEnv(process.env, { functionArn: () => ownArn }));

/** The three inputs of the regeneration function, told apart. */
export type RegenerationInput = 'publication-due' | 'delayed-publications' | 'stream';
export function regenerationInputOf(event: unknown): RegenerationInput {
  if (isPublicationDue(event)) return 'publication-due';
  return isSqsEvent(event) ? 'delayed-publications' : 'stream';
}

export interface RegenerationHandlers {
  stream: (event: DynamoDBStreamEvent, context: RegenerationContext) => Promise<DynamoDBBatchResponse>;
  publicationDue: (event: PublicationDueEvent, context: RegenerationContext) => Promise<void>;
  delayedPublications: (event: SQSEvent, context: RegenerationContext) => Promise<SQSBatchResponse>;
}

/**
 * One function, three inputs: the article table's stream, the one-time schedules of scheduled
 * articles, and the publication-due queue (early publications handed back with a delay).
 */
export function createRegenerationEntry(handlers: RegenerationHandlers) {
  return async (event: DynamoDBStreamEvent | PublicationDueEvent | SQSEvent, context: RegenerationContext): Promise<DynamoDBBatchResponse | SQSBatchResponse | void> => {
    ownArn ??= unqualifiedFunctionArn(context.invokedFunctionArn);
    switch (regenerationInputOf(event)) {
      case 'publication-due':
        return handlers.publicationDue(event as PublicationDueEvent, context);
      case 'delayed-publications':
        return handlers.delayedPublications(event as SQSEvent, context);
      case 'stream':
        return handlers.stream(event as DynamoDBStreamEvent, context);
    }
  };
}

export const handler = createRegenerationEntry({
  stream: createRegenerateHandler(depsFromEnv),
  publicationDue: createPublicationDueHandler(depsFromEnv),
  delayedPublications: createPublicationDueQueueHandler(depsFromEnv),
});
