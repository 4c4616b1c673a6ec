import type { Article } from '../article/index.js';
import type { PublisherConfig, SectionConfig } from '../config/index.js';
import { renderSectionDocuments, type RenderedDocument } from '../render/index.js';
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
  /** Articles left out because they could not be read or rendered. */
  poison: { id: string; reason: string }[];
}

/** Renders the section; an article that makes rendering throw is found and left out, not allowed to block the rest. */
function renderIsolatingPoison(deps: PublishingDeps, section: SectionConfig, articles: Article[]) {
  const render = (list: Article[]) => renderSectionDocuments(deps.config, section, deps.feedBaseUrl, list);
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
 * Rebuilds one section's feeds from the table's current state: one consistent Query for the newest
 * N published articles (cost follows the feed, not the archive), render, write what changed,
 * invalidate exactly that. Callers serialize it per section (see publishSection).
 */
export async function regenerateSection(slug: string, deps: PublishingDeps): Promise<RegenerationResult> {
  const section = deps.config.sections.find((s) => s.slug === slug);
  if (!section) throw new Error(`Unknown section "${slug}"`);
  const { articles, unreadable } = await deps.store.readSection(slug, deps.config.itemsPerFeed);
  const { documents, poison } = renderIsolatingPoison(deps, section, articles);
  const writes = await writeAll(deps, documents);
  const changedPaths = writes.filter((w) => w.changed).map((w) => w.path);
  await deps.cdn.invalidate(changedPaths);
  return {
    section: slug,
    items: articles.length - poison.length,
    changedPaths,
    unchangedPaths: writes.filter((w) => !w.changed).map((w) => w.path),
    poison: [...unreadable, ...poison],
  };
}

/** Parallel writes; S3 replaces each object atomically, so a reader sees an old or a new file, never a part. */
function writeAll(deps: PublishingDeps, documents: RenderedDocument[]) {
  return Promise.all(documents.map((doc) => deps.feeds.write(doc)));
}
