import type { PublisherConfig } from '../config/index.js';
import { allTargets, targetFor, type FeedTarget } from '../feeds/index.js';
import type { FeedListing } from '../render/index.js';
import type { RegisteredFeed } from './feedState.js';

const KIND_ORDER = { section: 0, tag: 1, author: 2 } as const;

/**
 * The feeds the index page and OPML list, grouped by kind (sections, tags, authors): every
 * configured feed (sections and `tagFeeds`, in configuration order, even while empty), then the
 * automatic feeds of the registry that the configuration still gives and that hold at least
 * `minArticles` items, by title. A feed whose articles all left is delisted but keeps publishing
 * (empty) documents, so subscribers are not broken.
 */
export function listedFeeds(config: PublisherConfig, registered: readonly RegisteredFeed[]): FeedListing[] {
  const configured = allTargets(config).map((t) => ({ kind: t.kind, title: t.channel.title, description: t.channel.description, basePath: t.basePath }));
  const configuredPaths = new Set(configured.map((f) => f.basePath));
  const automatic = registered
    .filter((f) => f.kind !== 'section' && !configuredPaths.has(f.basePath))
    .filter((f) => targetFor(config, f.kind, f.slug)?.automatic === true)
    .filter((f) => f.items >= config.automaticFeeds[f.kind === 'tag' ? 'tags' : 'authors'].minArticles)
    .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.title < b.title ? -1 : a.title > b.title ? 1 : a.slug < b.slug ? -1 : 1))
    .map((f) => ({ kind: f.kind, title: f.title, description: f.description, basePath: f.basePath }));
  return [...configured, ...automatic].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

/**
 * Every feed there is to publish: the configured ones, then those of the registry (automatic tag
 * and author feeds, listed or not) that the configuration still gives.
 */
export function knownTargets(config: PublisherConfig, registered: readonly RegisteredFeed[]): FeedTarget[] {
  const configured = allTargets(config);
  const keys = new Set(configured.map((t) => t.key));
  return [...configured, ...registered.flatMap((f) => (keys.has(f.key) ? [] : (targetFor(config, f.kind, f.slug) ?? [])))];
}
