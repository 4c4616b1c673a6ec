import { ARTICLE_PK_PREFIX, KEY } from '../storage/keys.js';

/**
 * Lambda event-filter patterns for the article table's stream: article items (not feed entries)
 * whose old or new image lies in a configured section. The stack gives these to the event source
 * mapping; the local poller applies the very same patterns with `matchesFilterPattern`.
 */
export function regenerationFilterPatterns(sectionSlugs: readonly string[]): Record<string, unknown>[] {
  const slugs = [...sectionSlugs];
  const article = { Keys: { [KEY.partition]: { S: [{ prefix: ARTICLE_PK_PREFIX }] } } };
  return [
    { dynamodb: { ...article, NewImage: { sectionSlug: { S: slugs } } } },
    { dynamodb: { ...article, OldImage: { sectionSlug: { S: slugs } } } },
  ];
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
 * an array of rules is ORed, rules are literal values, `{prefix}` or `{exists}`.
 */
export function matchesFilterPattern(event: unknown, pattern: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const value = event !== null && typeof event === 'object' ? (event as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(expected)) {
      if (value !== null && typeof value === 'object') return false;
      return (expected as Rule[]).some((rule) => matchesRule(value, rule));
    }
    if (expected !== null && typeof expected === 'object') return matchesFilterPattern(value, expected as Record<string, unknown>);
    return false;
  });
}

export function matchesAnyFilter(event: unknown, patterns: readonly Record<string, unknown>[]): boolean {
  return patterns.some((p) => matchesFilterPattern(event, p));
}
