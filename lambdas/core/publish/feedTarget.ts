import type { PublisherConfig, SectionConfig } from '../config/index.js';
import { SECTION_RENDERERS, TAG_RENDERERS, type FeedListing, type SectionRenderer } from '../render/index.js';
import { sectionPk, tagPk } from '../storage/index.js';

/** One feed the publisher maintains: a section's, or a configured tag's across sections. */
export interface FeedTarget {
  kind: 'section' | 'tag';
  slug: string;
  /** `section/international`, `tag/russia-ukraine-conflict`: names its state and its feed id. */
  key: string;
  /** Partition of its entries in the table. */
  entryPartition: string;
  /** Where its documents live: `feeds/international`, `feeds/tags/{slug}`. */
  basePath: string;
  /** Channel metadata in the shape the renderers read. */
  channel: SectionConfig;
  renderers: readonly SectionRenderer[];
}

export function sectionTarget(config: PublisherConfig, slug: string): FeedTarget {
  const section = config.sections.find((s) => s.slug === slug);
  if (!section) throw new Error(`Unknown section "${slug}"`);
  return { kind: 'section', slug, key: `section/${slug}`, entryPartition: sectionPk(slug), basePath: `feeds/${slug}`, channel: section, renderers: SECTION_RENDERERS };
}

export function tagTarget(config: PublisherConfig, slug: string): FeedTarget {
  const tag = config.tagFeeds.find((t) => t.slug === slug);
  if (!tag) throw new Error(`Unknown tag feed "${slug}"`);
  return {
    kind: 'tag',
    slug,
    key: `tag/${slug}`,
    entryPartition: tagPk(slug),
    basePath: `feeds/tags/${slug}`,
    channel: {
      name: tag.tag,
      slug,
      title: tag.title,
      description: tag.description,
      link: config.siteUrl,
      // A tag feed spans sections: full text only if no section keeps it from public feeds.
      fullTextInPublicFeeds: config.sections.every((s) => s.fullTextInPublicFeeds),
    },
    renderers: TAG_RENDERERS,
  };
}

export function allTargets(config: PublisherConfig): FeedTarget[] {
  return [...config.sections.map((s) => sectionTarget(config, s.slug)), ...config.tagFeeds.map((t) => tagTarget(config, t.slug))];
}

export function targetByKey(config: PublisherConfig, key: string): FeedTarget {
  const [kind, slug = ''] = key.split('/');
  return kind === 'tag' ? tagTarget(config, slug) : sectionTarget(config, slug);
}

export function listing(target: FeedTarget): FeedListing {
  return { title: target.channel.title, description: target.channel.description, basePath: target.basePath };
}
