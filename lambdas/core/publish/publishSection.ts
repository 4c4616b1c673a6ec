import { randomUUID } from 'node:crypto';
import { PoisonArticlesError, SectionBusyError } from './errors.js';
import { ninjsDocumentPath } from '../render/index.js';
import { sectionTarget, type FeedTarget } from './feedTarget.js';
import { regenerateFeed, type PublishingDeps, type RegenerationResult } from './regenerateSection.js';
import type { SectionStateStore } from './sectionState.js';

export interface CoordinatedPublishingDeps extends PublishingDeps {
  state: SectionStateStore;
  /** Longer than the function's timeout, so a live holder never outlives its lease. */
  leaseTtlMs: number;
  /** How long to wait for another holder before giving the batch back for a retry. */
  maxWaitMs: number;
  pollMs?: number;
}

export type PublishOutcome =
  | { section: string; outcome: 'published'; renders: number; result: RegenerationResult }
  | { section: string; outcome: 'covered'; renders: 0 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Publishes a section after a change, so that concurrent invocations never publish out of order:
 *
 * 1. Count a request on the section's state item (after the change committed: we were sent its
 *    stream record).
 * 2. Take the section's lease. Whoever holds it renders from the table's current state, and marks
 *    the request number it started from as published only if no request came in meanwhile;
 *    otherwise it renders again. So the last render always starts after the last change.
 * 3. An invocation that finds the lease taken waits until its own request is covered (the holder
 *    will see it), or the lease expires (the holder died), and takes over then.
 *
 * One render covers any number of requests: a burst coalesces into few regenerations.
 */
export function publishSection(slug: string, deps: CoordinatedPublishingDeps): Promise<PublishOutcome> {
  return publishFeed(sectionTarget(deps.config, slug), deps);
}

/**
 * Brings the archive slots of the given articles in line with their current state (sections only),
 * and removes the per-article documents (partner ninjs) of those no longer in the section. Returns
 * the archive pages that changed: to be passed to publishFeed.
 */
export async function reconcileArchive(target: FeedTarget, articleIds: readonly string[], deps: CoordinatedPublishingDeps): Promise<number[]> {
  if (target.kind !== 'section' || !deps.archive) return [];
  const pages = new Set<number>();
  const departed: string[] = [];
  for (const id of new Set(articleIds)) {
    const outcome = await deps.archive.reconcile(target.slug, target.key, id);
    outcome.pages.forEach((p) => pages.add(p));
    if (!outcome.inSection) departed.push(id);
  }
  if (departed.length > 0) {
    // A retracted or moved article must not stay reachable under its old section, not even for partners.
    const paths = departed.map((id) => ninjsDocumentPath(target.slug, id));
    await Promise.all(paths.map((path) => deps.feeds.remove(path)));
    await deps.cdn.invalidate(paths);
  }
  return [...pages].sort((a, b) => a - b);
}

/** publishSection for any feed target (a section or a tag feed); state and lease are per target. */
export async function publishFeed(target: FeedTarget, deps: CoordinatedPublishingDeps, dirtyArchivePages: readonly number[] = []): Promise<PublishOutcome> {
  const slug = target.key;
  const owner = randomUUID();
  const mine = await deps.state.request(slug, dirtyArchivePages);
  const started = Date.now();
  for (;;) {
    const held = await deps.state.acquire(slug, owner, Date.now(), deps.leaseTtlMs);
    if (!held) {
      if ((await deps.state.read(slug)).published >= mine) return { section: slug, outcome: 'covered', renders: 0 };
      if (Date.now() - started > deps.maxWaitMs) throw new SectionBusyError(slug, Date.now() - started);
      await sleep(deps.pollMs ?? 25);
      continue;
    }
    let state = held;
    let renders = 0;
    let result: RegenerationResult | undefined;
    try {
      while (state.published < state.requested || state.dirtyPages.length > 0) {
        const startedFrom = state.requested;
        result = await regenerateFeed(target, deps, { slots: state.archiveNext, pages: state.dirtyPages });
        renders += 1;
        if (await deps.state.markPublished(slug, owner, startedFrom, result.archivePages)) break;
        state = await deps.state.read(slug);
      }
    } finally {
      await deps.state.release(slug, owner).catch(() => undefined); // an expired lease frees itself
    }
    if (!result) return { section: slug, outcome: 'covered', renders: 0 };
    if (result.poison.length > 0) throw new PoisonArticlesError(slug, result.poison);
    return { section: slug, outcome: 'published', renders, result };
  }
}
