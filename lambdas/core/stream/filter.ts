import type { PublisherConfig } from '../config/index.js';
import { ARTICLE_PK_PREFIX, KEY } from '../storage/index.js';

/**
 * Lambda event-filter patterns for the article table's stream: article items (not feed entries)
 * whose old or new image lies in a configured section. The stack gives these to the event source
 * mapping; the local poller applies the very same patterns with `matchesFilterPattern`.
 */
export function regenerationFilterPatterns(sectionSlugs: readonly string[], tagFeedSlugs: readonly string[] = []): Record<string, unknown>[] {
  const slugs = [...sectionSlugs];
  const article = { Keys: { [KEY.partition]: { S: [{ prefix: ARTICLE_PK_PREFIX }] } } };
  const patterns: Record<string, unknown>[] = [
    { dynamodb: { ...article, NewImage: { sectionSlug: { S: slugs } } } },
    { dynamodb: { ...article, OldImage: { sectionSlug: { S: slugs } } } },
  ];
  if (tagFeedSlugs.length > 0) {
    // feedTags is a string set: a pattern on an array matches when any element does.
    const tags = [...tagFeedSlugs];
    patterns.push({ dynamodb: { ...article, NewImage: { feedTags: { SS: tags } } } }, { dynamodb: { ...article, OldImage: { feedTags: { SS: tags } } } });
  }
  return patterns;
}

/** The patterns for a configuration: its sections and its tag feeds. */
export function regenerationFilterPatternsFor(config: PublisherConfig): Record<string, unknown>[] {
  return regenerationFilterPatterns(
    config.sections.map((s) => s.slug),
    config.tagFeeds.map((t) => t.slug),
  );
}

type Rule = string | number | boolean | null | { prefix: string } | { exists: boolean };

function matchesRule(value: unknown, rule: Rule): boolean {
  if (rule !== null && typeof rule === 'object') {
    if ('prefix' in rule) return typeof value === 'string' && value.startsWith(rule.prefix);
    if ('exists' in rule) return (value !== undefined) === rule.exists;
  }
  return value === rule;
}

/**
 * The subset of Lambda's filter-pattern grammar these patterns use: nested objects are ANDed,
 * an array of rules is ORed, rules are literal values, `{prefix}` or `{exists}`; an array in the
 * event matches when any of its elements does.
 */
export function matchesFilterPattern(event: unknown, pattern: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const value = event !== null && typeof event === 'object' ? (event as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(expected)) {
      const candidates = Array.isArray(value) ? value : [value];
      if (candidates.some((v) => v !== null && typeof v === 'object')) return false;
      return candidates.some((v) => (expected as Rule[]).some((rule) => matchesRule(v, rule)));
    }
    if (expected !== null && typeof expected === 'object') return matchesFilterPattern(value, expected as Record<string, unknown>);
    return false;
  });
}

export function matchesAnyFilter(event: unknown, patterns: readonly Record<string, unknown>[]): boolean {
  return patterns.some((p) => matchesFilterPattern(event, p));
}
