import type { ScheduledPublication } from './publicationScheduler.js';

/** What one side (old or new image) of an article change says about its publication. */
export interface PublicationImage {
  published: boolean;
  publishedAtMs: number;
  /** Keys of the feeds it belongs to. */
  feeds: readonly string[];
}

export interface ScheduleDecision {
  /** Remove the timer the old image had. */
  cancel: boolean;
  /** Create or move the article's timer to this. */
  schedule?: ScheduledPublication;
  /** Due too soon for a timer: the caller publishes these feeds itself at this instant (delayed to it with a delayer). */
  publishAt?: { atMs: number; feeds: string[] };
}

const isFuture = (image: PublicationImage | undefined, nowMs: number): image is PublicationImage => image !== undefined && image.published && image.publishedAtMs > nowMs;
const sameFeeds = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((k, i) => k === [...b].sort()[i]);

/**
 * How an article change moves its timer. A published article with a future instant has exactly one
 * timer, at that instant, for its current feeds; anything else (retracted, instant passed or moved
 * into the past) has none. A change that keeps the instant and the feeds leaves the timer alone.
 */
export function scheduleDecision(articleId: string, change: { old?: PublicationImage; new?: PublicationImage }, nowMs: number, minLeadMs: number): ScheduleDecision {
  // Cancelling a timer that was never made (the old instant was due too soon for one) is a harmless no-op.
  const hadTimer = isFuture(change.old, nowMs);
  const next = change.new;
  if (!isFuture(next, nowMs)) return { cancel: hadTimer };
  const feeds = [...next.feeds].sort();
  if (next.publishedAtMs - nowMs <= minLeadMs) return { cancel: hadTimer, publishAt: { atMs: next.publishedAtMs, feeds } };
  if (hadTimer && change.old!.publishedAtMs === next.publishedAtMs && sameFeeds(change.old!.feeds, feeds)) return { cancel: false };
  return { cancel: false, schedule: { articleId, publishAt: new Date(next.publishedAtMs).toISOString(), feeds } };
}
