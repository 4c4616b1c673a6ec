import { randomUUID } from 'node:crypto';
import { FeedBusyError } from './errors.js';
import type { FeedState, FeedStateStore, Manifest } from './feedState.js';

export interface LeaseDeps {
  state: FeedStateStore;
  /** Longer than the function's timeout, so a live holder never outlives its lease. */
  leaseTtlMs: number;
  /** How long to wait for another holder before giving the batch back for a retry. */
  maxWaitMs: number;
  pollMs?: number;
}

/** What one render under the lease wrote: its manifest, and the archive pages it rendered. */
export interface LeasedRender {
  manifest: Manifest;
  archivePages: readonly number[];
  /** Fingerprint of the registry entry the render recorded (kept on the state item by markPublished). */
  listed?: string;
}

export type LeasedOutcome<R> = { outcome: 'published'; renders: number; result: R } | { outcome: 'covered'; renders: 0 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Publishes a document set (a feed's, the news sitemap's) after a change, so that concurrent
 * invocations never publish out of order:
 *
 * 1. Count a request on the state item `key` (after the change committed: we were sent its
 *    stream record). When the lease is free, the same conditional write takes it too
 *    (requestAndAcquire); otherwise the request is counted alone.
 * 2. Take the lease. Whoever holds it renders from the table's current state, compares with the
 *    manifest read with the lease, PUTs what differs, and marks the request number it started
 *    from as published, with the new manifest, releasing the lease in the same write, only if no
 *    request came in meanwhile; otherwise it renders again and compares with what it just wrote
 *    itself. So the last render always starts after the last change. A holder that dies between
 *    PUT and mark only causes a harmless re-PUT by the next one.
 * 3. An invocation that finds the lease taken waits until its own request is covered (the holder
 *    will see it), or the lease expires (the holder died), and takes over then.
 *
 * One render covers any number of requests: a burst coalesces into few renders. Uncontended, a
 * render costs two writes to the state item: requestAndAcquire and markPublished.
 */
export async function publishUnderLease<R extends LeasedRender>(
  key: string,
  deps: LeaseDeps,
  dirtyArchivePages: readonly number[],
  render: (state: FeedState, manifest: Manifest) => Promise<R>,
  /** The newest change's own time among those that brought us here (raises FeedState.newestChangeMs). */
  changedAtMs?: number,
): Promise<LeasedOutcome<R>> {
  const owner = randomUUID();
  let held = await deps.state.requestAndAcquire(key, owner, Date.now(), deps.leaseTtlMs, dirtyArchivePages, changedAtMs);
  const mine = held ? held.requested : await deps.state.request(key, dirtyArchivePages, changedAtMs);
  const started = Date.now();
  for (;; held = undefined) {
    held ??= await deps.state.acquire(key, owner, Date.now(), deps.leaseTtlMs);
    if (!held) {
      if ((await deps.state.read(key)).published >= mine) return { outcome: 'covered', renders: 0 };
      if (Date.now() - started > deps.maxWaitMs) throw new FeedBusyError(key, Date.now() - started);
      await sleep(deps.pollMs ?? 25);
      continue;
    }
    let state = held;
    let manifest: Manifest = held.manifest;
    let renders = 0;
    let result: R | undefined;
    let released = false;
    try {
      while (state.published < state.requested || state.dirtyPages.length > 0) {
        const startedFrom = state.requested;
        result = await render(state, manifest);
        renders += 1;
        if (await deps.state.markPublished(key, owner, startedFrom, result.archivePages, result.manifest, result.listed)) {
          released = true;
          break;
        }
        state = await deps.state.read(key);
        // Still ours: what is in the store now is what we just wrote. Lost (expired): trust the record.
        manifest = state.leaseOwner === owner ? result.manifest : state.manifest;
      }
    } finally {
      if (!released) await deps.state.release(key, owner).catch(() => undefined); // an expired lease frees itself
    }
    return result ? { outcome: 'published', renders, result } : { outcome: 'covered', renders: 0 };
  }
}
