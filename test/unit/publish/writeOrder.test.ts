import { describe, expect, it } from 'vitest';
import { ArticleValidator, type Article } from '../../../lambdas/core/article/index.js';
import { sectionTarget } from '../../../lambdas/core/feeds/index.js';
import { regenerateFeed, type Manifest } from '../../../lambdas/core/publish/index.js';
import type { ArchiveStore, ArticleRepository, StoredDocument } from '../../../lambdas/core/storage/index.js';
import { articleRecord, at, testConfig } from '../../helpers/factories.js';

const config = testConfig({ archivePageSize: 10 });
const target = sectionTarget(config, 'international');
const validator = new ArticleValidator(config);
const article = (n: number, summary = `Summary ${n}.`): Article => {
  const parsed = validator.parse(articleRecord({ id: `story-${n}`, summary, publishedAt: at(n), updatedAt: at(n) }));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.article;
};
const FEEDS = ['feeds/international/rss.xml', 'feeds/international/atom.xml', 'feeds/international/feed.json'];

/** regenerateFeed on stand-ins whose writes take random time; returns each write's start and end, in order of events. */
async function regenerate(articles: Article[], input: { slots: number; pages: number[]; manifest: Manifest; catchUps?: number }) {
  const events: { path: string; at: 'start' | 'end' }[] = [];
  const removed: string[] = [];
  const documents = {
    put: async (doc: StoredDocument) => {
      events.push({ path: doc.path, at: 'start' });
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      events.push({ path: doc.path, at: 'end' });
    },
    remove: async (path: string) => void removed.push(path),
  };
  const store = { readEntries: async () => ({ articles, unreadable: [], versions: [] }), readEntryVersions: async () => [] } as unknown as ArticleRepository;
  const archive: ArchiveStore = { pageSize: 10, reconcile: async () => [], readPage: async (_slug, page) => articles.slice(page * 10, page * 10 + 10) };
  const result = await regenerateFeed(target, { config, store, documents, archive, cdn: { invalidate: async () => {} }, feedBaseUrl: 'https://feeds.test.example', clock: { now: () => new Date(at(10_000)) } }, input);
  return { events, removed, result };
}

/** Every write of `later` starts only once every write of `earlier` has ended. */
function writtenAfter(events: { path: string; at: 'start' | 'end' }[], earlier: (p: string) => boolean, later: (p: string) => boolean) {
  const lastEnd = Math.max(...events.flatMap((e, i) => (e.at === 'end' && earlier(e.path) ? [i] : [])));
  const firstStart = Math.min(...events.flatMap((e, i) => (e.at === 'start' && later(e.path) ? [i] : [])));
  return lastEnd < firstStart;
}

describe('regenerateFeed write order', () => {
  const isFeed = (p: string) => FEEDS.includes(p);
  const isArchive = (p: string) => p.includes('/archive/');

  it.each([0, 2])('writes archive pages never published first, then the three subscription feeds, then everything else (catching up %i times)', async (catchUps) => {
    const articles = Array.from({ length: 12 }, (_, i) => article(12 - i));
    const { events } = await regenerate(articles, { slots: 12, pages: [0, 1], manifest: {}, catchUps });
    const written = new Set(events.map((e) => e.path));
    for (const path of FEEDS) expect(written).toContain(path);
    expect(written).toContain('feeds/international/archive/atom-1.xml');
    expect(writtenAfter(events, isArchive, isFeed)).toBe(true); // the newest page a feed links to exists before the feed
    expect(writtenAfter(events, isFeed, (p) => !isFeed(p) && !isArchive(p))).toBe(true);
  });

  it.each([0, 2])('an edit: the subscription feeds before the page, partner feeds, ninjs and the archive page it changed; nothing unchanged written; manifest of all (catching up %i times)', async (catchUps) => {
    const articles = Array.from({ length: 12 }, (_, i) => article(12 - i));
    const first = await regenerate(articles, { slots: 12, pages: [0, 1], manifest: {} });
    // story-10: in the live feed (the newest 5) and on archive page 0 (slots 0-9 here).
    const edited = articles.map((a) => (a.id === 'story-10' ? article(10, 'Edited summary.') : a));
    const { events, result } = await regenerate(edited, { slots: 12, pages: [0], manifest: first.result.manifest, catchUps });
    const written = [...new Set(events.map((e) => e.path))];
    expect(written).toEqual(expect.arrayContaining([...FEEDS, 'feeds/international/archive/atom-0.xml']));
    expect(written.some((p) => p.includes('/archive/') && p.includes('-1.'))).toBe(false); // page 1 not dirty, unchanged
    expect(written.length).toBe(result.changedPaths.length);
    expect(writtenAfter(events, isFeed, (p) => !isFeed(p))).toBe(true);
    expect(Object.keys(result.manifest).sort()).toEqual(Object.keys(first.result.manifest).sort());
  });
});
