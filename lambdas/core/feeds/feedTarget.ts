import type { Article } from '../article/types.js';
import type { PublisherConfig, SectionConfig } from '../config/index.js';
import { authorPk, sectionPk, tagPk } from '../storage/keys.js';
import { feedFolder, type FeedKind } from '../urls.js';
import { membershipRules } from './membership.js';

/** What a stream record says about an article, before or after a change: enough to know which feeds it touches. */
export interface ArticleImage {
  sectionSlug: string;
  /** Slugs of the tag feeds it belongs in. */
  feedTags: readonly string[];
  /** Slugs of the author feeds it belongs in. */
  feedAuthors?: readonly string[];
  /** The version's own time (updatedAt; a retraction's time): the feed's change time, never "now". */
  updatedAtMs?: number;
  /** Whether this version is published (a retracted one still names its section); absent = published. */
  published?: boolean;
  /**
   * What the news sitemap shows of this version (render/newsListing.ts, kept on the article item by
   * ingest): a change that keeps it leaves the sitemap alone. Absent = unknown (items written
   * before it existed): the sitemap is then republished.
   */
  newsListing?: string;
}

/** One change of one article: its images before and after (absent when there was none). */
export interface ArticleChange {
  articleId: string;
  old?: ArticleImage;
  new?: ArticleImage;
}

/**
 * One feed the publisher maintains: a section's, a tag's across sections (configured in `tagFeeds`
 * or automatic), or an author's. It knows its paths, where its entries are, and which changes touch it.
 */
export interface FeedTarget {
  kind: FeedKind;
  slug: string;
  /** `section/international`, `tag/russia-ukraine-conflict`: names its state item and its feed id. */
  key: string;
  /** Partition of its entries in the table (its item query: the newest N of it). */
  entryPartition: string;
  /** Where its documents live: `feeds/international`, `feeds/tags/{slug}`. */
  basePath: string;
  /** Channel metadata in the shape the renderers read. */
  channel: SectionConfig;
  /** Sections also publish partner feeds, ninjs documents and RFC 5005 archive pages. */
  partnerDocuments: boolean;
  archived: boolean;
  /** Automatic feeds (not in the configuration): listed once they hold `minArticles`. */
  automatic: boolean;
  /**
   * The channel for the items it is rendered from: an automatic feed is named after the tag or
   * author as its newest item writes it; other feeds keep `channel`.
   */
  channelFor(articles: readonly Article[]): SectionConfig;
  /** Whether a change (old and new image) may change this feed. */
  touchedBy(change: ArticleChange): boolean;
}

const images = (change: ArticleChange) => [change.old, change.new].filter((i): i is ArticleImage => i !== undefined);

export function sectionTarget(config: PublisherConfig, slug: string): FeedTarget {
  const section = config.sections.find((s) => s.slug === slug);
  if (!section) throw new Error(`Unknown section "${slug}"`);
  return {
    kind: 'section',
    slug,
    key: `section/${slug}`,
    entryPartition: sectionPk(slug),
    basePath: feedFolder('section', slug),
    channel: section,
    partnerDocuments: true,
    archived: true,
    automatic: false,
    channelFor: () => section,
    touchedBy: (change) => images(change).some((i) => i.sectionSlug === slug),
  };
}

/** Channel of a feed across sections: full text only if no section keeps it from public feeds. */
function crossSectionChannel(config: PublisherConfig, name: string, slug: string, title: string, description: string): SectionConfig {
  return { name, slug, title, description, link: config.siteUrl, fullTextInPublicFeeds: config.sections.every((s) => s.fullTextInPublicFeeds) };
}

const TEXT: Record<'tag' | 'author', (name: string) => string> = {
  tag: (name) => `Stories tagged “${name}”.`,
  author: (name) => `Stories by ${name}.`,
};

/** An automatic tag or author feed; its name is the slug until the items say how it is written. */
function automaticTarget(config: PublisherConfig, kind: 'tag' | 'author', slug: string): FeedTarget {
  const rules = membershipRules(config);
  const nameIn = (article: Article) =>
    kind === 'tag' ? article.tags.find((t) => rules.tagSlug(t) === slug) : article.authors.find((a) => rules.authorSlug(a.name) === slug)?.name;
  const channel = (name: string) => crossSectionChannel(config, name, slug, name, TEXT[kind](name));
  return {
    kind,
    slug,
    key: `${kind}/${slug}`,
    entryPartition: kind === 'tag' ? tagPk(slug) : authorPk(slug),
    basePath: feedFolder(kind, slug),
    channel: channel(slug),
    partnerDocuments: false,
    archived: false,
    automatic: true,
    channelFor: (articles) => channel(articles.map(nameIn).find((n) => n !== undefined) ?? slug),
    touchedBy: (change) => images(change).some((i) => (kind === 'tag' ? i.feedTags : (i.feedAuthors ?? [])).includes(slug)),
  };
}

/** A tag feed: the configured one of that slug, else an automatic one (undefined when automatic tag feeds are off). */
export function tagTarget(config: PublisherConfig, slug: string): FeedTarget {
  const tag = config.tagFeeds.find((t) => t.slug === slug);
  if (!tag) {
    if (config.automaticFeeds.tags.enabled) return automaticTarget(config, 'tag', slug);
    throw new Error(`Unknown tag feed "${slug}"`);
  }
  const channel = crossSectionChannel(config, tag.tag, slug, tag.title, tag.description);
  return {
    kind: 'tag',
    slug,
    key: `tag/${slug}`,
    entryPartition: tagPk(slug),
    basePath: feedFolder('tag', slug),
    channel,
    partnerDocuments: false,
    archived: false,
    automatic: false,
    channelFor: () => channel,
    touchedBy: (change) => images(change).some((i) => i.feedTags.includes(slug)),
  };
}

/** An (automatic) author feed. */
export function authorTarget(config: PublisherConfig, slug: string): FeedTarget {
  if (!config.automaticFeeds.authors.enabled) throw new Error(`Author feeds are off; no feed "${slug}"`);
  return automaticTarget(config, 'author', slug);
}

/** The feed of a kind and slug, if the configuration has it. */
export function targetFor(config: PublisherConfig, kind: FeedKind, slug: string): FeedTarget | undefined {
  if (kind === 'section') return config.sections.some((s) => s.slug === slug) ? sectionTarget(config, slug) : undefined;
  if (kind === 'tag') return config.tagFeeds.some((t) => t.slug === slug) || config.automaticFeeds.tags.enabled ? tagTarget(config, slug) : undefined;
  return config.automaticFeeds.authors.enabled ? authorTarget(config, slug) : undefined;
}

/**
 * The feeds one change touches, named by its old and new image (a move touches both sections, a
 * tag removed touches that tag's feed): ten tags are ten small renders, never a site rebuild.
 */
export function targetsOfChange(config: PublisherConfig, change: ArticleChange): FeedTarget[] {
  const found = new Map<string, FeedTarget>();
  const add = (kind: FeedKind, slug: string) => {
    const key = `${kind}/${slug}`;
    if (found.has(key)) return;
    const target = targetFor(config, kind, slug);
    if (target) found.set(key, target);
  };
  for (const image of images(change)) {
    add('section', image.sectionSlug);
    image.feedTags.forEach((slug) => add('tag', slug));
    (image.feedAuthors ?? []).forEach((slug) => add('author', slug));
  }
  return [...found.values()];
}

/**
 * When a change takes an article out of a feed (a retraction, a move, a tag or author removed), its
 * own time (the new version's updatedAt; the old one's for a deletion): the feed changed although
 * its items may no longer show it, so this is the floor of the feed's updated time. Changes that
 * add or edit an item are shown by the items themselves and give no floor (a scheduled article's
 * future time must not show before it does).
 */
export function leavingTimeOf(change: ArticleChange, target: FeedTarget): number | undefined {
  const inFeed = (image: ArticleImage | undefined) => image !== undefined && image.published !== false && target.touchedBy({ articleId: change.articleId, new: image });
  if (!inFeed(change.old) || inFeed(change.new)) return undefined;
  return change.new?.updatedAtMs ?? change.old?.updatedAtMs;
}

/** Every configured feed, sections first. */
export function allTargets(config: PublisherConfig): FeedTarget[] {
  return [...config.sections.map((s) => sectionTarget(config, s.slug)), ...config.tagFeeds.map((t) => tagTarget(config, t.slug))];
}
