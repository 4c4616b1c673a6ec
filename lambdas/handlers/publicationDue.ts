import type { Context } from 'aws-lambda';
import { publishDue, type CoordinatedPublishingDeps } from '../core/publish/index.js';
import { parsePublicationDue } from '../core/schedule/index.js';
import { describeError, log } from './log.js';

/** Time kept back from the deadline when a timer fired a moment before its instant. */
const DEADLINE_MARGIN_MS = 10_000;

export class InvalidPublicationDueError extends Error {
  constructor(readonly errors: { field: string; message: string }[]) {
    super(`invalid publication-due event: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
    this.name = 'InvalidPublicationDueError';
  }
}

/**
 * Adapter for a scheduled article's timer (an EventBridge Scheduler one-time schedule deployed, an
 * in-process timer locally): at the article's instant, its feeds are published. Throws on failure,
 * so the invocation is retried and, in the end, dead-lettered.
 */
export function createPublicationDueHandler(deps: () => CoordinatedPublishingDeps) {
  return async (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<void> => {
    const parsed = parsePublicationDue(event);
    if (!parsed.ok) {
      log('error', 'publication-due event rejected', { errors: parsed.errors });
      throw new InvalidPublicationDueError(parsed.errors);
    }
    const base = deps();
    const maxWaitMs = context ? Math.max(0, context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS) : base.maxWaitMs;
    try {
      const outcomes = await publishDue(parsed.publication, { ...base, maxWaitMs: Math.min(base.maxWaitMs, maxWaitMs) }, maxWaitMs);
      log('info', 'scheduled article published', { id: parsed.publication.articleId, publishAt: parsed.publication.publishAt, feeds: outcomes.map((o) => `${o.feed} ${o.outcome}`) });
    } catch (error) {
      log('error', 'scheduled publication failed; retried', { id: parsed.publication.articleId, error: describeError(error) });
      throw error;
    }
  };
}
