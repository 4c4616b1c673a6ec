import type { ScheduledPublication } from './publicationScheduler.js';

/**
 * Hands a publication that came up early (a timer fired before the instant, or the stream found it
 * due in a few seconds) back to the publication-due path after a delay, so that no invocation
 * waits for an instant: deployed, an SQS message with DelaySeconds to a queue whose event source is
 * the regeneration function. Locally there is none: in-process timers fire at the instant.
 */
export interface PublicationDelayer {
  /** Delivers the publication again in `delaySeconds` (1 to MAX_DELAY_SECONDS). Throws if it could not be queued. */
  delay(publication: ScheduledPublication, delaySeconds: number): Promise<void>;
}

/** The longest delay one hop may have (SQS DelaySeconds: 0–900); a later instant is reached in hops. */
export const MAX_DELAY_SECONDS = 900;
/**
 * What an invocation may still wait itself, with a delayer: a publication due within this is
 * published after that small remainder (a delayed message rounded up to whole seconds is at or past
 * its instant, so this is only clock skew or an early delivery), anything further off is delayed.
 */
export const INLINE_WAIT_MS = 1_000;

export type DueAction =
  /** Publish now, after waiting `waitMs` (0 when the instant has come). */
  | { action: 'publish'; waitMs: number }
  /** Too early to wait: hand it back in `delaySeconds` (the whole seconds left rounded up, at most MAX_DELAY_SECONDS). */
  | { action: 'delay'; delaySeconds: number };

/**
 * What to do with a publication at `nowMs`: publish (after at most `maxInlineWaitMs`), or delay it
 * by the remaining whole seconds rounded up, capped at one hop (the delivered one decides again).
 */
export function dueAction(publishAtMs: number, nowMs: number, maxInlineWaitMs = INLINE_WAIT_MS): DueAction {
  const dueInMs = publishAtMs - nowMs;
  if (dueInMs <= 0) return { action: 'publish', waitMs: 0 };
  if (dueInMs <= maxInlineWaitMs) return { action: 'publish', waitMs: dueInMs };
  return { action: 'delay', delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.ceil(dueInMs / 1000)) };
}
