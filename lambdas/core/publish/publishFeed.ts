import type { FeedTarget } from '../feeds/index.js';
import type { PublicationDelayer } from '../schedule/publicationDelay.js';
import type { PublicationScheduler } from '../schedule/publicationScheduler.js';
import { PoisonArticlesError } from './errors.js';
import { publishUnderLease, type LeaseDeps } from './leasedPublication.js';
import { regenerateFeed, type PublishingDeps, type RegenerationResult } from './regenerateFeed.js';

export interface CoordinatedPublishingDeps extends PublishingDeps, LeaseDeps {
  /** Timers of scheduled articles, kept from the regeneration path; absent = none (a scheduled article then waits for the next change of its feed). */
  scheduler?: PublicationScheduler;
  /** Hands an early publication back after a delay (deployed: an SQS message); absent = the invocation waits for the instant itself (local timers fire at it). */
  delayer?: PublicationDelayer;
}

export type PublishOutcome =
  | { feed: string; outcome: 'published'; renders: number; result: RegenerationResult }
  | { feed: string; outcome: 'covered'; renders: 0 };

/**
 * Brings the archive slots of the given articles in line with their current state (archived feeds
 * only). Returns the archive pages that changed: to be passed to publishFeed.
 */
export async function reconcileArchive(target: FeedTarget, articleIds: readonly string[], deps: CoordinatedPublishingDeps): Promise<number[]> {
  if (!target.archived || !deps.archive) return [];
  const pages = new Set<number>();
  for (const id of new Set(articleIds)) (await deps.archive.reconcile(target.slug, target.key, id, deps.clock.now())).pages.forEach((p) => pages.add(p));
  return [...pages].sort((a, b) => a - b);
}

/**
 * Publishes a feed after a change, so that concurrent invocations never publish out of order:
 * under the feed's lease (see publishUnderLease), one render from the table's current state
 * covers every request that came in before it started.
 */
export async function publishFeed(
  target: FeedTarget,
  deps: CoordinatedPublishingDeps,
  dirtyArchivePages: readonly number[] = [],
  /** The newest change's own time among those that brought us here (see FeedState.newestChangeMs). */
  changedAtMs?: number,
): Promise<PublishOutcome> {
  const key = target.key;
  const outcome = await publishUnderLease(
    key,
    deps,
    dirtyArchivePages,
    (state, manifest) =>
      regenerateFeed(target, deps, {
        slots: state.archiveNext,
        pages: state.dirtyPages,
        manifest,
        // The feed's newest change: its updated time never goes below it (a retraction of the newest item).
        ...(state.newestChangeMs !== undefined && { newestChangeMs: state.newestChangeMs }),
      }),
    changedAtMs,
  );
  if (outcome.outcome === 'covered') return { feed: key, outcome: 'covered', renders: 0 };
  // The registry lists it (index page, OPML) with what it now holds.
  await deps.state.recordFeed({ key, kind: target.kind, slug: target.slug, ...outcome.result.channel, basePath: target.basePath, items: outcome.result.items });
  if (outcome.result.poison.length > 0) throw new PoisonArticlesError(key, outcome.result.poison);
  return { feed: key, ...outcome };
}
