import { allTargets } from '../feeds/index.js';
import { clockNotBefore } from '../schedule/clock.js';
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
  const targets = allTargets(deps.config).filter((t) => feeds.has(t.key));
  // Its feeds, and the news sitemap (every article is in a section, so in the sitemap's read).
  const [outcomes] = await Promise.all([
    Promise.all(
      targets.map(async (target) => {
        const pages = await reconcileArchive(target, [publication.articleId], run);
        return publishFeed(target, run, pages);
      }),
    ),
    publishNewsSitemap(run),
  ]);
  return outcomes;
}
