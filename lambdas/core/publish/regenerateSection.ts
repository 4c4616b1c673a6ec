import type { PublisherConfig } from '../config/index.js';
import { renderSectionFeeds } from '../render/index.js';
import type { ArticleStore } from '../storage/index.js';
import type { FeedStore } from './feedStore.js';
import type { CdnInvalidator } from './invalidator.js';

export interface PublishingDeps {
  config: PublisherConfig;
  store: ArticleStore;
  feeds: FeedStore;
  cdn: CdnInvalidator;
  /** Public origin the feeds are served from; self links are built on it. */
  feedBaseUrl: string;
}

export interface RegenerationResult {
  section: string;
  items: number;
  changedPaths: string[];
  unchangedPaths: string[];
}

/**
 * Rebuilds one section's feeds from the table's current state: one consistent Query for the newest
 * N published articles (cost follows the feed, not the archive), render, write what changed,
 * invalidate exactly that.
 */
export async function regenerateSection(slug: string, deps: PublishingDeps): Promise<RegenerationResult> {
  const section = deps.config.sections.find((s) => s.slug === slug);
  if (!section) throw new Error(`Unknown section "${slug}"`);
  const articles = await deps.store.listSection(slug, deps.config.itemsPerFeed);
  const documents = Object.values(renderSectionFeeds(deps.config, section, deps.feedBaseUrl, articles));
  const writes = await Promise.all(documents.map((doc) => deps.feeds.write(doc)));
  const changedPaths = writes.filter((w) => w.changed).map((w) => w.path);
  await deps.cdn.invalidate(changedPaths);
  return { section: slug, items: articles.length, changedPaths, unchangedPaths: writes.filter((w) => !w.changed).map((w) => w.path) };
}
