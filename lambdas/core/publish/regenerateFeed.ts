import { createHash } from 'node:crypto';
import type { Article } from '../article/types.js';
import type { PublisherConfig } from '../config/index.js';
import type { FeedTarget } from '../feeds/index.js';
import { renderArchivePage, renderFeedDocuments, type DocumentScope, type RenderedDocument } from '../render/index.js';
import type { Clock } from '../schedule/clock.js';
import type { ArchiveStore, ArticleRepository, DocumentStore, FeedEntries } from '../storage/index.js';
import { absoluteUrl, archivePagePath, FEED_FORMAT_NAMES, feedFilePath } from '../urls.js';
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
  /** How many times at most to look for changes stored while the subscription feeds were written (see regenerateFeed); 0 by default. */
  catchUps?: number;
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
function writeOrder<D extends { doc: { path: string } }>(target: FeedTarget, changed: readonly D[], manifest: Manifest, subscriptionFiles: ReadonlySet<string>) {
  const opened = changed.filter(({ doc }) => isArchivePage(target, doc.path) && manifest[doc.path] === undefined);
  const feeds = changed.filter(({ doc }) => subscriptionFiles.has(doc.path));
  const rest = changed.filter((d) => !opened.includes(d) && !feeds.includes(d));
  return { opened, feeds, rest };
}

/** Renders the feed; an article that makes rendering throw is found and left out, not allowed to block the rest. */
function renderIsolatingPoison(deps: PublishingDeps, target: FeedTarget, articles: Article[], newestPage: number | undefined, floorMs: number | undefined, scope: DocumentScope) {
  const render = (list: Article[]) => renderFeedDocuments(deps.config, target, deps.feedBaseUrl, list, newestPage, floorMs, scope);
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
 *
 * Catching up (`input.catchUps`, for a render that a burst brought): it first renders and writes
 * the subscription feeds alone, then looks at the entries' versions again (a Query without the
 * documents); while changes were stored meanwhile, it reads them and writes the subscription feeds
 * again at once; once a look finds nothing new it renders everything, writes the rest and looks
 * once more, starting over if changes came in the while. At most catchUps reads are added. A change
 * stored during the render so reaches readers now, not after everything else the invocation does
 * and a batching window.
 */
export async function regenerateFeed(target: FeedTarget, deps: PublishingDeps, input: RegenerationInput): Promise<RegenerationResult> {
  const archive = target.archived ? deps.archive : undefined;
  const newestPage = archive ? newestArchivePage(input.slots, archive.pageSize) : undefined;
  const archivePages = archive && newestPage !== undefined ? input.pages.filter((p) => p <= newestPage) : [];
  const readEntries = () => deps.store.readEntries(target.entryPartition, deps.config.itemsPerFeed, deps.clock.now());
  const sameVersions = async (read: FeedEntries) =>
    (await deps.store.readEntryVersions(target.entryPartition, deps.config.itemsPerFeed, deps.clock.now())).join('\n') === read.versions.join('\n');
  // The feed's entries and the archive pages to rewrite are read at once (one round trip, not one after another).
  const [first, pages] = await Promise.all([
    readEntries(),
    Promise.all(archivePages.map(async (page) => ({ page, articles: await archive!.readPage(target.slug, page) }))),
  ]);
  let entries = first;
  const subscriptionFiles = new Set(FEED_FORMAT_NAMES.map((f) => feedFilePath(target.basePath, f)));
  /** What the store holds now: the input's manifest, then what each pass wrote or removed. */
  const stored: Record<string, string> = { ...input.manifest };
  /** Every path this run wrote or removed. */
  const written = new Set<string>();
  const put = async (docs: readonly { doc: RenderedDocument; hash: string }[]) => {
    await Promise.all(docs.map(({ doc }) => deps.documents.put(doc)));
    for (const { doc, hash } of docs) (stored[doc.path] = hash), written.add(doc.path);
  };
  let looks = input.catchUps ?? 0;
  /** Nothing stored since the last read (or no catch-up left)? A look at the versions alone; if they moved, the read, one catch-up fewer. */
  const caughtUp = async () => {
    if (looks === 0 || (await sameVersions(entries))) return true;
    looks -= 1;
    entries = await readEntries();
    return false;
  };
  for (let settled = false; ; ) {
    // While it may catch up, a pass renders the subscription feeds (and archive pages never published) alone, until a look finds nothing new.
    const scope: DocumentScope = looks > 0 && !settled ? 'subscription' : 'all';
    const { articles, unreadable } = entries;
    const { documents, poison } = renderIsolatingPoison(deps, target, articles, newestPage, input.newestChangeMs, scope);
    const poisonIds = new Set(poison.map((p) => p.id));
    for (const { page, articles: onPage } of pages) {
      // A catching-up pass writes only the archive pages never published (the feeds link to the newest): it renders no others.
      if (scope === 'subscription' && FEED_FORMAT_NAMES.every((f) => stored[archivePagePath(target.basePath, f, page)] !== undefined)) continue;
      const pageArticles = onPage.filter((a) => !poisonIds.has(a.id));
      documents.push(...renderArchivePage(deps.config, target, deps.feedBaseUrl, { page, newestPage: newestPage!, articles: pageArticles }));
    }
    const hashed = documents.map((doc) => ({ doc, hash: documentHash(doc.body) }));
    const changed = hashed.filter(({ doc, hash }) => stored[doc.path] !== hash);
    const { opened, feeds, rest } = writeOrder(target, changed, stored, subscriptionFiles);
    await put(opened);
    await put(feeds);
    if (scope === 'subscription') {
      settled = feeds.length === 0 || (await caughtUp());
      continue;
    }
    await put(rest);
    const rendered = new Set(documents.map((d) => d.path));
    const departed = Object.keys(stored).filter((path) => !rendered.has(path) && !isArchivePage(target, path));
    await Promise.all(departed.map((path) => deps.documents.remove(path)));
    for (const path of departed) delete stored[path], written.add(path);
    // Changes stored while the rest was written: catch up with them too (the subscription feeds first again).
    if (written.size > 0 && !(await caughtUp())) {
      settled = false;
      continue;
    }
    const manifest: Record<string, string> = {};
    for (const [path, hash] of Object.entries(stored)) if (isArchivePage(target, path)) manifest[path] = hash;
    for (const { doc, hash } of hashed) manifest[doc.path] = hash;

    const changedPaths = [...written].sort();
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
}
