import { randomUUID } from 'node:crypto';
import type { FeedTarget } from '../feeds/index.js';
import { PoisonArticlesError, FeedBusyError } from './errors.js';
import type { FeedStateStore, Manifest } from './feedState.js';
import { regenerateFeed, type PublishingDeps, type RegenerationResult } from './regenerateFeed.js';

export interface CoordinatedPublishingDeps extends PublishingDeps {
  state: FeedStateStore;
  /** Longer than the function's timeout, so a live holder never outlives its lease. */
  leaseTtlMs: number;
  /** How long to wait for another holder before giving the batch back for a retry. */
  maxWaitMs: number;
  pollMs?: number;
}

export type PublishOutcome =
  | { feed: string; outcome: 'published'; renders: number; result: RegenerationResult }
  | { feed: string; outcome: 'covered'; renders: 0 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Brings the archive slots of the given articles in line with their current state (archived feeds
 * only). Returns the archive pages that changed: to be passed to publishFeed.
 */
export async function reconcileArchive(target: FeedTarget, articleIds: readonly string[], deps: CoordinatedPublishingDeps): Promise<number[]> {
  if (!target.archived || !deps.archive) return [];
  const pages = new Set<number>();
  for (const id of new Set(articleIds)) (await deps.archive.reconcile(target.slug, target.key, id)).pages.forEach((p) => pages.add(p));
  return [...pages].sort((a, b) => a - b);
}

/**
 * Publishes a feed after a change, so that concurrent invocations never publish out of order:
 *
 * 1. Count a request on the feed's state item (after the change committed: we were sent its
 *    stream record).
 * 2. Take the feed's lease. Whoever holds it renders from the table's current state, compares
 *    with the manifest read with the lease, PUTs what differs, and marks the request number it
 *    started from as published, with the new manifest, only if no request came in meanwhile;
 *    otherwise it renders again and compares with what it just wrote itself. So the last render
 *    always starts after the last change. A holder that dies between PUT and mark only causes a
 *    harmless re-PUT by the next one.
 * 3. An invocation that finds the lease taken waits until its own request is covered (the holder
 *    will see it), or the lease expires (the holder died), and takes over then.
 *
 * One render covers any number of requests: a burst coalesces into few regenerations.
 */
export async function publishFeed(
  target: FeedTarget,
  deps: CoordinatedPublishingDeps,
  dirtyArchivePages: readonly number[] = [],
  /** The newest change's own time among those that brought us here (see FeedState.newestChangeMs). */
  changedAtMs?: number,
): Promise<PublishOutcome> {
  const key = target.key;
  const owner = randomUUID();
  const mine = await deps.state.request(key, dirtyArchivePages, changedAtMs);
  const started = Date.now();
  for (;;) {
    const held = await deps.state.acquire(key, owner, Date.now(), deps.leaseTtlMs);
    if (!held) {
      if ((await deps.state.read(key)).published >= mine) return { feed: key, outcome: 'covered', renders: 0 };
      if (Date.now() - started > deps.maxWaitMs) throw new FeedBusyError(key, Date.now() - started);
      await sleep(deps.pollMs ?? 25);
      continue;
    }
    let state = held;
    let manifest: Manifest = held.manifest;
    let renders = 0;
    let result: RegenerationResult | undefined;
    try {
      while (state.published < state.requested || state.dirtyPages.length > 0) {
        const startedFrom = state.requested;
        result = await regenerateFeed(target, deps, {
          slots: state.archiveNext,
          pages: state.dirtyPages,
          manifest,
          ...(state.newestChangeMs !== undefined && { newestChangeMs: state.newestChangeMs }),
        });
        renders += 1;
        if (await deps.state.markPublished(key, owner, startedFrom, result.archivePages, result.manifest)) break;
        state = await deps.state.read(key);
        // Still ours: what is in the store now is what we just wrote. Lost (expired): trust the record.
        manifest = state.leaseOwner === owner ? result.manifest : state.manifest;
      }
    } finally {
      await deps.state.release(key, owner).catch(() => undefined); // an expired lease frees itself
    }
    if (!result) return { feed: key, outcome: 'covered', renders: 0 };
    // The registry lists it (index page, OPML) with what it now holds.
    await deps.state.recordFeed({ key, kind: target.kind, slug: target.slug, ...result.channel, basePath: target.basePath, items: result.items });
    if (result.poison.length > 0) throw new PoisonArticlesError(key, result.poison);
    return { feed: key, outcome: 'published', renders, result };
  }
}
