/** Where "now" comes from: the as-of instant of every read of published items, and of ingest's `scheduled` answer. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that never reads earlier than `notBefore` (a publication fired by a timer a moment before its instant). */
export function clockNotBefore(clock: Clock, notBeforeMs: number): Clock {
  return { now: () => new Date(Math.max(clock.now().getTime(), notBeforeMs)) };
}
