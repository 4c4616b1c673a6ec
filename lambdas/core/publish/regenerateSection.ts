import type { Article } from '../article/index.js';
import type { PublisherConfig } from '../config/index.js';
import {
  FEED_XSLT_PATH,
  prevArchiveLinks,
  renderArchivePage,
  renderSectionDocuments,
  renderSiteDocuments,
  type FeedContextOptions,
  type FeedLink,
  type RenderedDocument,
} from '../render/index.js';
import type { ArchiveStore, ArticleStore } from '../storage/index.js';
import { allTargets, listing, sectionTarget, type FeedTarget } from './feedTarget.js';
import type { FeedStore } from './feedStore.js';
import type { HubNotifier } from './hubNotifier.js';
import type { CdnInvalidator } from './invalidator.js';

export interface PublishingDeps {
  config: PublisherConfig;
  store: ArticleStore;
  feeds: FeedStore;
  cdn: CdnInvalidator;
  /** Public origin the feeds are served from; self links are built on it. */
  feedBaseUrl: string;
  /** Tells WebSub hubs about changed feeds; absent or without hubs = no push. */
  hubs?: HubNotifier;
  /** Keeps sections' RFC 5005 archive pages; absent = no archives. */
  archive?: ArchiveStore;
}

/** The archive pages to render with this regeneration. */
export interface ArchiveWork {
  /** Slots handed out so far in the section (from its state). */
  slots: number;
  /** Pages whose content changed. */
  pages: number[];
}

export interface RegenerationResult {
  section: string;
  items: number;
  changedPaths: string[];
  unchangedPaths: string[];
  /** Articles left out because they could not be read or rendered. */
  poison: { id: string; reason: string }[];
  /** Archive pages written (or found unchanged) by this run. */
  archivePages: number[];
}

/** Links every subscription feed carries: the WebSub hubs and the newest archive page (the writers link the HTML page). */
function subscriptionOptions(config: PublisherConfig, feedBaseUrl: string, target: FeedTarget, newestArchivePage?: number): FeedContextOptions {
  const base = feedBaseUrl.replace(/\/+$/, '');
  const links: FeedLink[] = [
    ...config.websubHubs.map((href) => ({ rel: 'hub', href })),
    ...prevArchiveLinks(base, target.basePath, newestArchivePage),
  ];
  return { basePath: target.basePath, idPath: target.key, links, stylesheet: `${base}/${FEED_XSLT_PATH}` };
}

/** Every document of a feed target for a list of articles, exactly as a regeneration writes them. Pure. */
export function renderTargetDocuments(config: PublisherConfig, target: FeedTarget, feedBaseUrl: string, articles: readonly Article[], newestArchivePage?: number): RenderedDocument[] {
  return renderSectionDocuments(config, target.channel, feedBaseUrl, articles, subscriptionOptions(config, feedBaseUrl, target, newestArchivePage), target.renderers);
}

/** The newest archive page, given the slots handed out; undefined while there are none. */
export function newestArchivePage(slots: number, pageSize: number): number | undefined {
  return slots > 0 ? Math.floor((slots - 1) / pageSize) : undefined;
}

/** Renders the feed; an article that makes rendering throw is found and left out, not allowed to block the rest. */
function renderIsolatingPoison(deps: PublishingDeps, target: FeedTarget, articles: Article[], newestPage: number | undefined) {
  const render = (list: Article[]) => renderTargetDocuments(deps.config, target, deps.feedBaseUrl, list, newestPage);
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
 * Rebuilds one feed's documents from the table's current state: one consistent Query for the newest
 * N published articles (cost follows the feed, not the archive), render, write what changed,
 * invalidate exactly that, tell the hubs. Callers serialize it per feed (see publishSection).
 */
export async function regenerateFeed(target: FeedTarget, deps: PublishingDeps, archiveWork?: ArchiveWork): Promise<RegenerationResult> {
  const { articles, unreadable } = await deps.store.readEntries(target.entryPartition, deps.config.itemsPerFeed);
  const archive = target.kind === 'section' && archiveWork ? deps.archive : undefined;
  const newestPage = archive && archiveWork ? newestArchivePage(archiveWork.slots, archive.pageSize) : undefined;
  const { documents, poison } = renderIsolatingPoison(deps, target, articles, newestPage);
  const archivePages = archive && newestPage !== undefined ? archiveWork!.pages.filter((p) => p <= newestPage) : [];
  const poisonIds = new Set(poison.map((p) => p.id));
  for (const page of archivePages) {
    const pageArticles = (await archive!.readPage(target.slug, page)).filter((a) => !poisonIds.has(a.id));
    documents.push(...renderArchivePage(deps.config, target.channel, deps.feedBaseUrl, target.basePath, { page, newestPage: newestPage!, articles: pageArticles }));
  }
  const writes = await writeAll(deps, documents);
  const changedPaths = writes.filter((w) => w.changed).map((w) => w.path);
  await deps.cdn.invalidate(changedPaths);
  const base = deps.feedBaseUrl.replace(/\/+$/, '');
  const changedFeeds = changedPaths.filter((p) => p.startsWith(`${target.basePath}/`) && /\/(rss\.xml|atom\.xml|feed\.json)$/.test(p));
  if (changedFeeds.length > 0) await deps.hubs?.notify(changedFeeds.map((p) => `${base}/${p}`));
  return {
    section: target.key,
    items: articles.length - poison.length,
    changedPaths,
    unchangedPaths: writes.filter((w) => !w.changed).map((w) => w.path),
    poison: [...unreadable, ...poison],
    archivePages,
  };
}

/** A section's feeds (see regenerateFeed). */
export function regenerateSection(slug: string, deps: PublishingDeps): Promise<RegenerationResult> {
  return regenerateFeed(sectionTarget(deps.config, slug), deps);
}

/** The index page, OPML list and XSLT: they follow the configuration, so any run may (re)write them. */
export async function publishSiteDocuments(deps: PublishingDeps): Promise<string[]> {
  const documents = renderSiteDocuments(deps.config, deps.feedBaseUrl, allTargets(deps.config).map(listing));
  const changed = (await writeAll(deps, documents)).filter((w) => w.changed).map((w) => w.path);
  await deps.cdn.invalidate(changed);
  return changed;
}

/** Parallel writes; S3 replaces each object atomically, so a reader sees an old or a new file, never a part. */
function writeAll(deps: PublishingDeps, documents: RenderedDocument[]) {
  return Promise.all(documents.map((doc) => deps.feeds.write(doc)));
}
