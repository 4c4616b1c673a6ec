import type { PublisherConfig, SectionConfig } from '../config/index.js';
import { sectionPk, tagPk } from '../storage/index.js';
import { feedFolder, type FeedKind } from '../urls.js';

/** What a stream record says about an article, before or after a change: enough to know which feeds it touches. */
export interface ArticleImage {
  sectionSlug: string;
  /** Slugs of the tag feeds it belongs in. */
  feedTags: readonly string[];
}

/** One change of one article: its images before and after (absent when there was none). */
export interface ArticleChange {
  articleId: string;
  old?: ArticleImage;
  new?: ArticleImage;
}

/**
 * One feed the publisher maintains: a section's or a configured tag's across sections; the kind
 * 'author' (feeds/authors/{slug}) is reserved in the URL scheme for author feeds, which come next. It knows its paths, where its entries are, and which changes touch it.
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
    touchedBy: (change) => images(change).some((i) => i.sectionSlug === slug),
  };
}

export function tagTarget(config: PublisherConfig, slug: string): FeedTarget {
  const tag = config.tagFeeds.find((t) => t.slug === slug);
  if (!tag) throw new Error(`Unknown tag feed "${slug}"`);
  return {
    kind: 'tag',
    slug,
    key: `tag/${slug}`,
    entryPartition: tagPk(slug),
    basePath: feedFolder('tag', slug),
    channel: {
      name: tag.tag,
      slug,
      title: tag.title,
      description: tag.description,
      link: config.siteUrl,
      // A tag feed spans sections: full text only if no section keeps it from public feeds.
      fullTextInPublicFeeds: config.sections.every((s) => s.fullTextInPublicFeeds),
    },
    partnerDocuments: false,
    archived: false,
    touchedBy: (change) => images(change).some((i) => i.feedTags.includes(slug)),
  };
}

/** Every configured feed, sections first. */
export function allTargets(config: PublisherConfig): FeedTarget[] {
  return [...config.sections.map((s) => sectionTarget(config, s.slug)), ...config.tagFeeds.map((t) => tagTarget(config, t.slug))];
}

/** The configured feeds a change touches (old and new image: a move touches both sections). */
export function targetsTouchedBy(targets: readonly FeedTarget[], change: ArticleChange): FeedTarget[] {
  return targets.filter((t) => t.touchedBy(change));
}
