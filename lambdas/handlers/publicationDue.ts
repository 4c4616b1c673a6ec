import type { Context } from 'aws-lambda';
import { publishOrDelay, type CoordinatedPublishingDeps, type DueOutcome } from '../core/publish/index.js';
import { parsePublicationDue, type ScheduledPublication } from '../core/schedule/index.js';
import { describeError, log } from './log.js';

export class InvalidPublicationDueError extends Error {
  constructor(readonly errors: { field: string; message: string }[]) {
    super(`invalid publication-due event: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
    this.name = 'InvalidPublicationDueError';
  }
}

/** Time kept back from the deadline when waiting (for another regeneration's lease, for an instant). */
const DEADLINE_MARGIN_MS = 10_000;

/** How long an invocation may still wait: its remaining time less the margin; `fallback` without a Lambda context. */
export function remainingWaitMs(context: Pick<Context, 'getRemainingTimeInMillis'> | undefined, fallback: number): number {
  return context ? Math.max(0, context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS) : fallback;
}

/** The deps of one run, their lease wait bounded by the invocation's remaining time. */
export function boundedByDeadline(base: CoordinatedPublishingDeps, context?: Pick<Context, 'getRemainingTimeInMillis'>): CoordinatedPublishingDeps {
  return context ? { ...base, maxWaitMs: Math.min(base.maxWaitMs, remainingWaitMs(context, base.maxWaitMs)) } : base;
}

/** Publishes a due publication or hands it back for later (publishOrDelay), and logs which. */
export async function handlePublicationDue(publication: ScheduledPublication, deps: CoordinatedPublishingDeps): Promise<DueOutcome> {
  const done = await publishOrDelay(publication, deps, deps.maxWaitMs);
  if (done.outcome === 'delayed') log('info', 'scheduled article not due yet; delayed', { id: publication.articleId, publishAt: publication.publishAt, delaySeconds: done.delaySeconds });
  else log('info', 'scheduled article published', { id: publication.articleId, publishAt: publication.publishAt, feeds: done.feeds.map((o) => `${o.feed} ${o.outcome}`) });
  return done;
}

/**
 * Adapter for a scheduled article's timer (an EventBridge Scheduler one-time schedule deployed, an
 * in-process timer locally): at the article's instant, its feeds are published; a schedule that fired
 * early (it fires anywhere within the minute it names) hands the publication to the delayer instead
 * of waiting. Throws on failure, so the invocation is retried and, in the end, dead-lettered.
 */
export function createPublicationDueHandler(deps: () => CoordinatedPublishingDeps) {
  return async (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<void> => {
    const parsed = parsePublicationDue(event);
    if (!parsed.ok) {
      log('error', 'publication-due event rejected', { errors: parsed.errors });
      throw new InvalidPublicationDueError(parsed.errors);
    }
    try {
      await handlePublicationDue(parsed.publication, boundedByDeadline(deps(), context));
    } catch (error) {
      log('error', 'scheduled publication failed; retried', { id: parsed.publication.articleId, error: describeError(error) });
      throw error;
    }
  };
}
