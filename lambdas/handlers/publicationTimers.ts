import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { PublisherConfig } from '../core/config/index.js';
import { targetsOfChange } from '../core/feeds/index.js';
import type { CoordinatedPublishingDeps } from '../core/publish/index.js';
import { publishOrDelay } from '../core/publish/publishDue.js';
import { scheduleDecision, type PublicationImage, type ScheduledPublication } from '../core/schedule/index.js';
import { describeError, log } from './log.js';
import { articleChangeOf, imageOf } from './streamRecords.js';

/** An article image's publication: status, instant (attribute, or the stored document of items written before it existed: those predate compression, their `doc` is a string), feeds. */
function publicationImageOf(image: Record<string, AttributeValue> | undefined, config: PublisherConfig, articleId: string): PublicationImage | undefined {
  const feedImage = imageOf(image);
  if (!image || !feedImage) return undefined;
  let publishedAtMs = Number(image['publishedAtMs']?.N);
  if (!Number.isFinite(publishedAtMs)) {
    try {
      publishedAtMs = Date.parse((JSON.parse(image['doc']?.S ?? '{}') as { publishedAt?: string }).publishedAt ?? '');
    } catch {
      publishedAtMs = Number.NaN;
    }
  }
  if (!Number.isFinite(publishedAtMs)) return undefined;
  // The same reading of the image as the stream's feed routing: a feed kind added there is timed too.
  const feeds = targetsOfChange(config, { articleId, new: feedImage }).map((t) => t.key);
  return { published: image['status']?.S === 'published', publishedAtMs, feeds };
}

export interface TimerSync {
  /** Records whose timer could not be set (to be retried with the batch). */
  failed: DynamoDBRecord[];
  /** Publications due too soon for a timer: the handler delays them (deployed) or publishes them itself at their instant. */
  dueSoon: ScheduledPublication[];
}

/**
 * Keeps each scheduled article's timer in line with its change, in record order: armed when it is
 * stored with a future instant, moved with its instant or feeds, removed when it is retracted or its
 * instant moves into the past. Nothing without a scheduler.
 */
export async function syncPublicationTimers(records: readonly DynamoDBRecord[], deps: CoordinatedPublishingDeps): Promise<TimerSync> {
  const sync: TimerSync = { failed: [], dueSoon: [] };
  const scheduler = deps.scheduler;
  if (!scheduler) return sync;
  for (const record of records) {
    const change = articleChangeOf(record);
    if (!change) continue;
    const images = { old: publicationImageOf(record.dynamodb?.OldImage, deps.config, change.articleId), new: publicationImageOf(record.dynamodb?.NewImage, deps.config, change.articleId) };
    const decision = scheduleDecision(change.articleId, { ...(images.old && { old: images.old }), ...(images.new && { new: images.new }) }, deps.clock.now().getTime(), scheduler.minLeadMs);
    try {
      if (decision.cancel) await scheduler.cancel(change.articleId);
      if (decision.schedule) await scheduler.schedule(decision.schedule, { exists: images.old?.published === true && images.old.publishedAtMs > deps.clock.now().getTime() });
    } catch (error) {
      log('error', 'publication timer not set; the record is retried', { id: change.articleId, error: describeError(error) });
      sync.failed.push(record);
      continue;
    }
    if (decision.publishAt) sync.dueSoon.push({ articleId: change.articleId, publishAt: new Date(decision.publishAt.atMs).toISOString(), feeds: decision.publishAt.feeds });
  }
  return sync;
}

/**
 * The due-soon ones, soonest first: each handed to the delayer for the seconds left (deployed: no
 * stream invocation waits), or published at once when due within a second; without a delayer,
 * published at their instants within the time the invocation has.
 */
export async function publishDueSoon(dueSoon: readonly ScheduledPublication[], deps: CoordinatedPublishingDeps, maxWaitMs: number): Promise<void> {
  const started = Date.now();
  for (const publication of [...dueSoon].sort((a, b) => a.publishAt.localeCompare(b.publishAt))) {
    const done = await publishOrDelay(publication, deps, Math.max(0, maxWaitMs - (Date.now() - started)));
    if (done.outcome === 'delayed') log('info', 'scheduled article due soon; delayed', { id: publication.articleId, publishAt: publication.publishAt, delaySeconds: done.delaySeconds });
  }
}
