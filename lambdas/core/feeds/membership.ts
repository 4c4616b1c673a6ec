import { createHash } from 'node:crypto';
import type { Article } from '../article/types.js';
import type { AutomaticFeedsConfig } from '../config/index.js';
import { slugify } from '../config/slug.js';
import { authorPk, sectionPk, tagPk } from '../storage/keys.js';

/**
 * Which feeds a published article belongs in, decided here and nowhere else: ingest writes one
 * entry per feed (storage/keys.ts), the stream image names them (feedTags, feedAuthors), the
 * backfill re-derives them, and pages link an article's tags and authors to these feeds.
 *
 * - its section;
 * - a tag feed per tag: the configured one (`tagFeeds`, matched as written) or, when automatic tag
 *   feeds are on, one per tag that is not excluded, at most `maxPerArticle` of them;
 * - an author feed per author (automatic author feeds), likewise.
 * In all at most MAX_FEED_ENTRIES, so an article's write (entries put, entries left deleted) stays
 * within one DynamoDB transaction of 100 items.
 */
export interface Membership {
  sectionSlug: string;
  /** Slugs of its tag feeds (`feeds/tags/{slug}`), in record order, no repeats. */
  tags: string[];
  /** Slugs of its author feeds (`feeds/authors/{slug}`). */
  authors: string[];
}

/** Section + tag + author entries of one article: with the article item and as many deletes, under 100. */
export const MAX_FEED_ENTRIES = 49;

const MAX_SLUG = 64;

/** FNV-1a, 32 bits: a stable short name for values that have no Latin letters or digits. */
function shortHash(value: string): string {
  let h = 0x811c9dc5;
  for (const ch of value) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * The slug of an automatic feed: the value slugified (`Russia Ukraine conflict` → `russia-ukraine-conflict`);
 * a value with nothing to slugify (`سوريا`) gets `{kind}-{hash}`, so every tag can have a feed.
 */
export function automaticSlug(kind: 'tag' | 'author', value: string): string {
  const slug = slugify(value).slice(0, MAX_SLUG).replace(/-+$/, '');
  return slug || `${kind}-${shortHash(value.normalize('NFC'))}`;
}

/** The decisions for one configuration, built once (a Map of configured tags, exclusion sets). */
export interface MembershipRules {
  of(article: Pick<Article, 'sectionSlug' | 'tags' | 'authors'>): Membership;
  /** The tag feed a tag links to, if it has one. */
  tagSlug(tag: string): string | undefined;
  /** The author feed an author's name links to, if it has one. */
  authorSlug(name: string): string | undefined;
  /**
   * Names these rules (and the configured sections): stored on every article item as `indexedWith`,
   * so the backfill finds the articles written under other rules and a feed that came into being.
   */
  signature: string;
}

/** What membership depends on. */
export interface MembershipConfig {
  tagFeeds: readonly { tag: string; slug: string }[];
  automaticFeeds: AutomaticFeedsConfig;
  sections?: readonly { slug: string }[];
}

const rulesByConfig = new WeakMap<MembershipConfig, MembershipRules>();

/** The rules of one configuration, built once per configuration object (routing asks for them per feed of every change). */
export function membershipRules(config: MembershipConfig): MembershipRules {
  let rules = rulesByConfig.get(config);
  if (!rules) rulesByConfig.set(config, (rules = buildMembershipRules(config)));
  return rules;
}

function buildMembershipRules(config: MembershipConfig): MembershipRules {
  const configured = new Map(config.tagFeeds.map((t) => [t.tag, t.slug]));
  const { tags: autoTags, authors: autoAuthors } = config.automaticFeeds;
  const excluded = (list: readonly string[]) => new Set(list.flatMap((v) => [v, slugify(v)]));
  const excludedTags = excluded(autoTags.exclude);
  const excludedAuthors = excluded(autoAuthors.exclude);
  const automaticTag = (tag: string) => {
    if (!autoTags.enabled || excludedTags.has(tag)) return undefined;
    const slug = automaticSlug('tag', tag);
    return excludedTags.has(slug) ? undefined : slug;
  };
  const authorSlug = (name: string) => {
    if (!autoAuthors.enabled || excludedAuthors.has(name)) return undefined;
    const slug = automaticSlug('author', name);
    return excludedAuthors.has(slug) ? undefined : slug;
  };
  const tagSlug = (tag: string) => configured.get(tag) ?? automaticTag(tag);
  const signature = createHash('sha256')
    .update(
      JSON.stringify({
        sections: (config.sections ?? []).map((s) => s.slug),
        tagFeeds: config.tagFeeds.map((t) => [t.tag, t.slug]),
        automaticFeeds: config.automaticFeeds,
      }),
    )
    .digest('hex')
    .slice(0, 16);
  return {
    tagSlug,
    authorSlug,
    signature,
    of(article) {
      const tags: string[] = [];
      let automatic = 0;
      for (const tag of article.tags) {
        if (1 + tags.length >= MAX_FEED_ENTRIES) break;
        const fixed = configured.get(tag);
        const slug = fixed ?? (automatic < autoTags.maxPerArticle ? automaticTag(tag) : undefined);
        if (slug === undefined || tags.includes(slug)) continue;
        if (fixed === undefined) automatic += 1;
        tags.push(slug);
      }
      const authors: string[] = [];
      for (const author of article.authors) {
        if (authors.length >= autoAuthors.maxPerArticle || 1 + tags.length + authors.length >= MAX_FEED_ENTRIES) break;
        const slug = authorSlug(author.name);
        if (slug !== undefined && !authors.includes(slug)) authors.push(slug);
      }
      return { sectionSlug: article.sectionSlug, tags, authors };
    },
  };
}

/** The feed entry partitions of a membership: its section first, then tags, then authors. */
export function entryPartitions(m: Membership): string[] {
  return [sectionPk(m.sectionSlug), ...m.tags.map(tagPk), ...m.authors.map(authorPk)];
}
