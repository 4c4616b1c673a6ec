import { targetFor } from '../feeds/index.js';
import type { FeedKind } from '../urls.js';
import { clockNotBefore } from '../schedule/clock.js';
import { dueAction, INLINE_WAIT_MS } from '../schedule/publicationDelay.js';
import type { ScheduledPublication } from '../schedule/publicationScheduler.js';
import { publishNewsSitemap } from './newsSitemap.js';
import { publishFeed, reconcileArchive, type CoordinatedPublishingDeps, type PublishOutcome } from './publishFeed.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Thrown when a timer fired so early that its instant is further off than the invocation may wait. */
export class NotYetDueError extends Error {
  constructor(
    readonly articleId: string,
    readonly dueInMs: number,
  ) {
    super(`publication of "${articleId}" is due in ${dueInMs} ms, longer than this run may wait; retry later`);
    this.name = 'NotYetDueError';
  }
}

/**
 * A scheduled article's instant has come: waits for it if the timer fired a moment early (at most
 * `maxWaitMs`), gives the article its archive slot and publishes each of its feeds and the news sitemap, reading as of
 * no earlier than the instant. Idempotent and from the table's current state: a timer that fires
 * for an article moved or retracted since publishes nothing new.
 */
export async function publishDue(publication: ScheduledPublication, deps: CoordinatedPublishingDeps, maxWaitMs = 0): Promise<PublishOutcome[]> {
  const atMs = Date.parse(publication.publishAt);
  const dueInMs = atMs - deps.clock.now().getTime();
  if (dueInMs > maxWaitMs) throw new NotYetDueError(publication.articleId, dueInMs);
  if (dueInMs > 0) await sleep(dueInMs);
  const run = { ...deps, clock: clockNotBefore(deps.clock, atMs) };
  const feeds = new Set(publication.feeds);
  // Its feeds by key (`section/x`, `tag/y`, `author/z`): automatic ones too, as the configuration still gives them.
  const targets = [...feeds].flatMap((key) => {
    const [kind, slug] = key.split('/') as [FeedKind, string];
    return targetFor(deps.config, kind, slug) ?? [];
  });
  // Its feeds, and the news sitemap (every article is in a section, so in the sitemap's read).
  const [outcomes] = await Promise.all([
    Promise.all(
      targets.map(async (target) => {
        const pages = await reconcileArchive(target, [publication.articleId], run);
        return publishFeed(target, run, { dirtyArchivePages: pages });
      }),
    ),
    publishNewsSitemap(run),
  ]);
  return outcomes;
}

export type DueOutcome = { outcome: 'published'; feeds: PublishOutcome[] } | { outcome: 'delayed'; delaySeconds: number };

/**
 * The one decision of every publication-due path (a timer's input, a delivered delay, an article the
 * stream found due in a few seconds), deployed and local alike. With a delayer, a publication more
 * than INLINE_WAIT_MS early is handed back to it (the remaining seconds rounded up, one hop at most
 * 900 s) and nothing waits; within that it is published after the remainder. Without one (local
 * timers fire at the instant), the invocation waits up to `maxWaitMs`, as publishDue does.
 */
export async function publishOrDelay(publication: ScheduledPublication, deps: CoordinatedPublishingDeps, maxWaitMs = 0): Promise<DueOutcome> {
  const atMs = Date.parse(publication.publishAt);
  const nowMs = deps.clock.now().getTime();
  const next = dueAction(atMs, nowMs, deps.delayer ? INLINE_WAIT_MS : maxWaitMs);
  if (next.action === 'delay') {
    if (!deps.delayer) throw new NotYetDueError(publication.articleId, atMs - nowMs);
    await deps.delayer.delay(publication, next.delaySeconds);
    return { outcome: 'delayed', delaySeconds: next.delaySeconds };
  }
  return { outcome: 'published', feeds: await publishDue(publication, deps, next.waitMs) };
}
