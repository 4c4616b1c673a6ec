import { createHash } from 'node:crypto';
import type { Article } from '../article/types.js';
import type { PublisherConfig } from '../config/index.js';
import type { FeedTarget } from '../feeds/index.js';
import { renderArchivePage, renderFeedDocuments } from '../render/index.js';
import type { Clock } from '../schedule/clock.js';
import type { ArchiveStore, ArticleRepository, DocumentStore } from '../storage/index.js';
import { absoluteUrl, FEED_FORMAT_NAMES, feedFilePath } from '../urls.js';
import type { Manifest } from './feedState.js';
import type { HubNotifier } from './hubNotifier.js';
import type { CdnInvalidator } from './invalidator.js';

export interface PublishingDeps {
  config: PublisherConfig;
  store: ArticleRepository;
  documents: DocumentStore;
  cdn: CdnInvalidator;
  /** Public origin the feeds are served from; self links are built on it. */
  feedBaseUrl: string;
  /** Tells WebSub hubs about changed feeds; absent or without hubs = no push. */
  hubs?: HubNotifier;
  /** Keeps sections' RFC 5005 archive pages; absent = no archives. */
  archive?: ArchiveStore;
  /** The as-of instant of every read: only articles published by then are visible. Never printed. */
  clock: Clock;
}

/** What a regeneration starts from (read with the feed's lease). */
export interface RegenerationInput {
  /** Archive slots handed out so far in the feed. */
  slots: number;
  /** Archive pages whose content changed. */
  pages: number[];
  /** What is published now: a document whose hash is here unchanged is not written again. */
  manifest: Manifest;
  /** The feed's newest change (state's newestChangeMs): the floor of its updated time. */
  newestChangeMs?: number;
}

export interface RegenerationResult {
  feed: string;
  items: number;
  /** Documents written or removed (their bytes differ from what was published). */
  changedPaths: string[];
  unchangedPaths: string[];
  /** Articles left out because they could not be read or rendered. */
  poison: { id: string; reason: string }[];
  /** Archive pages rendered by this run. */
  archivePages: number[];
  /** What is published after this run: to be recorded with markPublished. */
  manifest: Manifest;
  /** The channel it was rendered with (its title and description go to the feed registry). */
  channel: { title: string; description: string };
}

export const documentHash = (body: string) => createHash('sha256').update(body, 'utf8').digest('hex').slice(0, 32);

const isArchivePage = (target: FeedTarget, path: string) => path.startsWith(`${target.basePath}/archive/`);

/** The newest archive page, given the slots handed out; undefined while there are none. */
export function newestArchivePage(slots: number, pageSize: number): number | undefined {
  return slots > 0 ? Math.floor((slots - 1) / pageSize) : undefined;
}

/**
 * The changed documents in the groups they are written in, each group once the one before it is
 * written: archive pages never published before (the subscription feeds link to the newest one),
 * then the three subscription feeds (what readers poll: their new items become visible without
 * waiting for the rest), then everything else (page, partner feeds, ninjs, other archive pages).
 * The departed documents go after all of them (a reader following the new listing never meets a
 * gap), and the manifest is recorded only after every write, so a holder that dies in between
 * only causes re-PUTs by the next one.
 */
function writeOrder<D extends { path: string }>(target: FeedTarget, changed: readonly D[], manifest: Manifest, subscriptionFiles: ReadonlySet<string>): D[][] {
  const opened = changed.filter((doc) => isArchivePage(target, doc.path) && manifest[doc.path] === undefined);
  const feeds = changed.filter((doc) => subscriptionFiles.has(doc.path));
  const rest = changed.filter((doc) => !opened.includes(doc) && !feeds.includes(doc));
  return [opened, feeds, rest].filter((group) => group.length > 0);
}

/** Renders the feed; an article that makes rendering throw is found and left out, not allowed to block the rest. */
function renderIsolatingPoison(deps: PublishingDeps, target: FeedTarget, articles: Article[], newestPage: number | undefined, floorMs: number | undefined) {
  const render = (list: Article[]) => renderFeedDocuments(deps.config, target, deps.feedBaseUrl, list, newestPage, floorMs);
  try {
    return { documents: render(articles), poison: [] };
  } catch {
    const poison: { id: string; reason: string }[] = [];
    const healthy = articles.filter((article) => {
      try {
        render([article]);
        return true;
      } catch (err) {
        poison.push({ id: article.id, reason: `cannot be rendered: ${err instanceof Error ? err.message : String(err)}` });
        return false;
      }
    });
    return { documents: render(healthy), poison };
  }
}

/**
 * Rebuilds one feed's documents from the table's current state: one consistent Query for its
 * newest N entries published by the clock's now (scheduled ones stay out), render, PUT exactly the documents whose hash differs from the
 * manifest, delete those that left (the ninjs document of a retracted, moved or aged-out
 * article), invalidate exactly that, tell the hubs. It reads nothing from the document store.
 * Callers serialize it per feed and record the returned manifest (see publishFeed).
 */
export async function regenerateFeed(target: FeedTarget, deps: PublishingDeps, input: RegenerationInput): Promise<RegenerationResult> {
  const archive = target.archived ? deps.archive : undefined;
  const newestPage = archive ? newestArchivePage(input.slots, archive.pageSize) : undefined;
  const archivePages = archive && newestPage !== undefined ? input.pages.filter((p) => p <= newestPage) : [];
  // The feed's entries and the archive pages to rewrite are read at once (one round trip, not one after another).
  const [{ articles, unreadable }, pages] = await Promise.all([
    deps.store.readEntries(target.entryPartition, deps.config.itemsPerFeed, deps.clock.now()),
    Promise.all(archivePages.map(async (page) => ({ page, articles: await archive!.readPage(target.slug, page) }))),
  ]);
  const { documents, poison } = renderIsolatingPoison(deps, target, articles, newestPage, input.newestChangeMs);
  const poisonIds = new Set(poison.map((p) => p.id));
  for (const { page, articles: onPage } of pages) {
    const pageArticles = onPage.filter((a) => !poisonIds.has(a.id));
    documents.push(...renderArchivePage(deps.config, target, deps.feedBaseUrl, { page, newestPage: newestPage!, articles: pageArticles }));
  }
  const hashed = documents.map((doc) => ({ doc, hash: documentHash(doc.body) }));
  const changed = hashed.filter(({ doc, hash }) => input.manifest[doc.path] !== hash);
  const rendered = new Set(documents.map((d) => d.path));
  const departed = Object.keys(input.manifest).filter((path) => !rendered.has(path) && !isArchivePage(target, path));
  const subscriptionFiles = new Set(FEED_FORMAT_NAMES.map((f) => feedFilePath(target.basePath, f)));
  for (const group of writeOrder(target, changed.map(({ doc }) => doc), input.manifest, subscriptionFiles)) await Promise.all(group.map((doc) => deps.documents.put(doc)));
  await Promise.all(departed.map((path) => deps.documents.remove(path)));
  const manifest: Record<string, string> = {};
  for (const [path, hash] of Object.entries(input.manifest)) if (isArchivePage(target, path)) manifest[path] = hash;
  for (const { doc, hash } of hashed) manifest[doc.path] = hash;

  const changedPaths = [...changed.map(({ doc }) => doc.path), ...departed].sort();
  await deps.cdn.invalidate(changedPaths);
  const changedFeeds = changedPaths.filter((p) => subscriptionFiles.has(p));
  if (changedFeeds.length > 0) await deps.hubs?.notify(changedFeeds.map((p) => absoluteUrl(deps.feedBaseUrl, p)));
  const changedSet = new Set(changedPaths);
  return {
    feed: target.key,
    items: articles.length - poison.length,
    changedPaths,
    unchangedPaths: documents.map((d) => d.path).filter((p) => !changedSet.has(p)),
    poison: [...unreadable, ...poison],
    archivePages,
    manifest,
    channel: (({ title, description }) => ({ title, description }))(target.channelFor(articles.filter((a) => !poisonIds.has(a.id)))),
  };
}
