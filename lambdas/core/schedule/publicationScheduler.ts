/**
 * A scheduled (embargoed) article: stored and in its feeds' partitions, but invisible in every
 * document until its publication instant. At that instant its feeds are published again without
 * any request: one timer per article, kept by a PublicationScheduler (EventBridge Scheduler one-time
 * schedules deployed, in-process timers locally), armed, moved and cancelled from the regeneration
 * path as the article's publishedAt changes or it is retracted.
 */
export interface ScheduledPublication {
  articleId: string;
  /** The article's publication instant, ISO 8601 UTC. */
  publishAt: string;
  /** Keys of the feeds it belongs to (`section/international`, `tag/russia`). */
  feeds: string[];
}

export interface PublicationScheduler {
  /**
   * Publications due sooner than this are not given a timer: the caller delays them (publishOrDelay) or waits for the instant
   * itself and publishes (a deployed one-time schedule has one-minute precision; a local timer none).
   */
  readonly minLeadMs: number;
  /**
   * Creates the article's timer, or moves it (new instant, new feeds). Idempotent. `exists` says
   * whether one is expected to be there already (a move), so an adapter can try the likelier call first.
   */
  schedule(publication: ScheduledPublication, hint?: { exists: boolean }): Promise<void>;
  /** Removes the article's timer; a missing one is fine. */
  cancel(articleId: string): Promise<void>;
}

/** What a timer delivers to the regeneration path when it fires (the schedule's input). */
export interface PublicationDueEvent {
  source: typeof PUBLICATION_DUE_SOURCE;
  publication: ScheduledPublication;
}

export const PUBLICATION_DUE_SOURCE = 'publisher.publication-due';

export function publicationDueEvent(publication: ScheduledPublication): PublicationDueEvent {
  return { source: PUBLICATION_DUE_SOURCE, publication };
}

/** Schedule names: 1-64 of [0-9a-zA-Z-_.]; ids are slugs of up to 128, so long ones are hashed (`h-`), short ones kept (`a-`). */
export function scheduleNameFor(articleId: string, hash: (text: string) => string): string {
  return articleId.length <= 62 ? `a-${articleId}` : `h-${hash(articleId).slice(0, 62)}`;
}
