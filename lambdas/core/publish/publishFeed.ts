import type { FeedTarget } from '../feeds/index.js';
import type { PublicationDelayer } from '../schedule/publicationDelay.js';
import type { PublicationScheduler } from '../schedule/publicationScheduler.js';
import { PoisonArticlesError } from './errors.js';
import { publishUnderLease, type LeaseDeps } from './leasedPublication.js';
import type { RegisteredFeed } from './feedState.js';
import { documentHash, regenerateFeed, type PublishingDeps, type RegenerationResult } from './regenerateFeed.js';

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
 * only), all in one go: the store batches the reads and writes, with the outcome of reconciling
 * them one after another (entering articles take slots in the order given). Returns the archive
 * pages that changed, sorted: to be passed to publishFeed.
 */
export async function reconcileArchive(target: FeedTarget, articleIds: readonly string[], deps: Pick<PublishingDeps, 'archive' | 'clock'>): Promise<number[]> {
  if (!target.archived || !deps.archive || articleIds.length === 0) return [];
  return deps.archive.reconcile(target.slug, target.key, articleIds, deps.clock.now());
}

/**
 * A batch that brings one feed this many changes or more is taken for part of a burst still being
 * stored: its renders catch up (see regenerateFeed) at most BURST_CATCH_UPS times. Below it (one
 * change at a time, or changes arriving evenly: about 6 per 5 s batching window at 100,000 a day)
 * a render reads once, and a change stored after its read waits for the next batch.
 */
export const BURST_CHANGES = 10;
export const BURST_CATCH_UPS = 4;
export const catchUpsFor = (changes: number) => (changes >= BURST_CHANGES ? BURST_CATCH_UPS : 0);

/** Fingerprint of a registry entry: a render whose entry has the one on the feed's state writes none. */
export const registryFingerprint = (feed: RegisteredFeed) =>
  documentHash(JSON.stringify([feed.key, feed.kind, feed.slug, feed.title, feed.description, feed.basePath, feed.items]));

/** What a batch tells publishFeed besides the feed; without catchUps (start-up, a due publication) a render reads once. */
export interface PublishFeedOptions {
  /** Archive pages the batch's articles moved in or out of (reconcileArchive). */
  dirtyArchivePages?: readonly number[];
  /** The newest change's own time among those that brought us here (see FeedState.newestChangeMs). */
  changedAtMs?: number;
  /** Reads it may add to catch up with changes stored while it writes (catchUpsFor the batch's changes; see regenerateFeed). */
  catchUps?: number;
}

/**
 * Publishes a feed after a change, so that concurrent invocations never publish out of order:
 * under the feed's lease (see publishUnderLease), one render from the table's current state
 * covers every request that came in before it started. The registry entry (index page, OPML) is
 * written only when what it lists changed: it is recorded before markPublished keeps its
 * fingerprint on the feed's state, so a holder that dies in between only causes a rewrite.
 */
export async function publishFeed(target: FeedTarget, deps: CoordinatedPublishingDeps, options: PublishFeedOptions = {}): Promise<PublishOutcome> {
  const { dirtyArchivePages = [], changedAtMs, catchUps = 0 } = options;
  const key = target.key;
  let recorded: string | undefined;
  const outcome = await publishUnderLease(
    key,
    deps,
    dirtyArchivePages,
    async (state, manifest) => {
      const result = await regenerateFeed(target, deps, {
        slots: state.archiveNext,
        pages: state.dirtyPages,
        manifest,
        // The feed's newest change: its updated time never goes below it (a retraction of the newest item).
        ...(state.newestChangeMs !== undefined && { newestChangeMs: state.newestChangeMs }),
        catchUps,
      });
      // The registry lists it (index page, OPML) with what it now holds.
      const entry: RegisteredFeed = { key, kind: target.kind, slug: target.slug, ...result.channel, basePath: target.basePath, items: result.items };
      const listed = registryFingerprint(entry);
      if (listed !== state.listed && listed !== recorded) {
        await deps.state.recordFeed(entry);
        recorded = listed;
      }
      return { ...result, listed };
    },
    changedAtMs,
  );
  if (outcome.outcome === 'covered') return { feed: key, outcome: 'covered', renders: 0 };
  if (outcome.result.poison.length > 0) throw new PoisonArticlesError(key, outcome.result.poison);
  return { feed: key, ...outcome };
}
