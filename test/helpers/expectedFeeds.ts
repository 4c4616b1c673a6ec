import { expect } from 'vitest';
import { ArticleValidator, type Article } from '../../lambdas/core/article/index.js';
import type { PublisherConfig } from '../../lambdas/core/config/index.js';
import { sectionTarget } from '../../lambdas/core/feeds/index.js';
import { renderFeedDocuments, type RenderedDocument } from '../../lambdas/core/render/index.js';

/**
 * The reference model: what the version rules say the table ends up holding after a set of
 * records (in any order) and retractions, rendered the way the publisher renders. Each record
 * sent for one id at one updatedAt must have the same content (the generators ensure it).
 */
export function expectedFeeds(
  config: PublisherConfig,
  feedBaseUrl: string,
  records: readonly unknown[],
  retractedIds: Iterable<string> = [],
  /** Per section, the newest archive page the subscription feeds link to (from the section's state). */
  newestArchivePages: Record<string, number | undefined> = {},
  /**
   * Per section, its newest change's time (the state's newestChangeMs): the floor of its updated
   * time. Which versions were stored before a newer one arrived depends on arrival order (and a
   * retraction's time on the clock), so the model takes it from the state, and the caller checks it.
   */
  updatedFloors: Record<string, number | undefined> = {},
) {
  const validator = new ArticleValidator(config);
  const latest = new Map<string, Article>();
  for (const raw of records) {
    const parsed = validator.parse(raw);
    if (!parsed.ok) continue;
    const current = latest.get(parsed.article.id);
    if (!current || Date.parse(parsed.article.updatedAt) > Date.parse(current.updatedAt)) latest.set(parsed.article.id, parsed.article);
  }
  for (const id of retractedIds) {
    const current = latest.get(id);
    if (current) latest.set(id, { ...current, status: 'retracted' });
  }
  const published = [...latest.values()].filter((a) => a.status === 'published');
  const byFile = (docs: RenderedDocument[]) => {
    const find = (file: string) => docs.find((d) => d.path.endsWith(`/${file}`))!;
    return { rss: find('rss.xml'), atom: find('atom.xml'), json: find('feed.json'), all: docs };
  };
  return Object.fromEntries(
    config.sections.map((section) => [
      section.slug,
      byFile(renderFeedDocuments(config, sectionTarget(config, section.slug), feedBaseUrl, published.filter((a) => a.sectionSlug === section.slug), newestArchivePages[section.slug], updatedFloors[section.slug]).filter((d) => d.path.startsWith('feeds/'))),
    ]),
  );
}

/** Fisher-Yates with a seeded generator, so a failing order can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  const random = () => ((state = (state * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Every section's served feeds equal, byte for byte, the reference rendering of the records sent. */
export async function expectServedFeedsToMatch(
  p: {
    config: PublisherConfig;
    url: string;
    feeds(slug: string): Promise<{ rss: string; atom: string; json: unknown }>;
    newestArchivePages(): Promise<Record<string, number | undefined>>;
    newestChanges(): Promise<Record<string, number | undefined>>;
  },
  records: readonly unknown[],
  retractedIds: Iterable<string> = [],
): Promise<void> {
  const floors = await p.newestChanges();
  // The floor is a time some sent version (or a retraction, made by the clock before now) carries.
  const versionTimes = new Set(records.map((r) => Date.parse(String((r as { updatedAt?: unknown }).updatedAt))));
  const retracting = [...retractedIds].length > 0;
  for (const [slug, floor] of Object.entries(floors)) {
    if (floor === undefined) continue;
    expect(floor <= Date.now(), `${slug} floor in the future`).toBe(true);
    if (!retracting) expect(versionTimes.has(floor), `${slug} floor ${new Date(floor).toISOString()} is no sent version's time`).toBe(true);
  }
  const expected = expectedFeeds(p.config, p.url, records, retractedIds, await p.newestArchivePages(), floors);
  for (const section of p.config.sections) {
    const served = await p.feeds(section.slug);
    expect(served.rss, `${section.slug} rss`).toBe(expected[section.slug]!.rss.body);
    expect(served.atom, `${section.slug} atom`).toBe(expected[section.slug]!.atom.body);
    expect(served.json, `${section.slug} json`).toEqual(JSON.parse(expected[section.slug]!.json.body));
  }
}
