import { describe, expect, it } from 'vitest';
import { ArticleValidator, type Article } from '../../../lambdas/core/article/index.js';
import { sectionTarget } from '../../../lambdas/core/feeds/index.js';
import { BURST_CATCH_UPS, BURST_CHANGES, catchUpsFor, regenerateFeed, type Manifest } from '../../../lambdas/core/publish/index.js';
import { entryVersion, type ArticleRepository, type FeedEntries, type StoredDocument } from '../../../lambdas/core/storage/index.js';
import { articleRecord, at, testConfig } from '../../helpers/factories.js';

const config = testConfig();
const target = sectionTarget(config, 'international');
const validator = new ArticleValidator(config);
const article = (n: number, version = 0): Article => {
  const parsed = validator.parse(articleRecord({ id: `story-${n}`, title: `Story ${n}`, contentHtml: `<p>Body of story ${n}.</p>`, summary: `Summary ${n}, version ${version}.`, publishedAt: at(n), updatedAt: at(n + version) }));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.article;
};
const FEEDS = ['feeds/international/rss.xml', 'feeds/international/atom.xml', 'feeds/international/feed.json'];
const isFeed = (path: string) => FEEDS.includes(path);

/**
 * regenerateFeed on a store that holds the given states one after another, the next at each read
 * or look (the last one from then on): changes stored while a render writes. Records every write
 * with the bytes written, and counts full reads and looks at the versions alone.
 */
async function regenerate(states: Article[][], input: { manifest?: Manifest; catchUps?: number } = {}) {
  const writes: { path: string; body: string }[] = [];
  const removed: string[] = [];
  const invalidated: string[][] = [];
  const notified: string[][] = [];
  let calls = 0;
  let reads = 0;
  let looks = 0;
  const now = () => states[Math.min(calls++, states.length - 1)]!;
  const versions = (articles: Article[]) => articles.map((a) => entryVersion(a.id, Date.parse(a.updatedAt)));
  const store = {
    readEntries: async (): Promise<FeedEntries> => {
      reads += 1;
      const articles = now();
      return { articles, unreadable: [], versions: versions(articles) };
    },
    readEntryVersions: async () => {
      looks += 1;
      return versions(now());
    },
  } as unknown as ArticleRepository;
  const documents = { put: async (doc: StoredDocument) => void writes.push({ path: doc.path, body: doc.body }), remove: async (path: string) => void removed.push(path) };
  const result = await regenerateFeed(
    target,
    {
      config,
      store,
      documents,
      cdn: { invalidate: async (paths) => void invalidated.push(paths) },
      hubs: { notify: async (urls) => void notified.push(urls) },
      feedBaseUrl: 'https://feeds.test.example',
      clock: { now: () => new Date(at(10_000)) },
    },
    { slots: 0, pages: [], manifest: input.manifest ?? {}, ...(input.catchUps !== undefined && { catchUps: input.catchUps }) },
  );
  return { writes, removed, invalidated, notified, result, reads: () => reads, looks: () => looks };
}

const feedOf = (n: number, version = 0) => Array.from({ length: 5 }, (_, i) => (5 - i === n ? article(n, version) : article(5 - i)));

describe('regenerateFeed catching up with changes stored while it writes', () => {
  it('without catch-ups it Queries once and publishes what that Query saw, even if the store moved on', async () => {
    const { writes, result, reads, looks } = await regenerate([feedOf(3), feedOf(3, 1)]);
    expect([reads(), looks()]).toEqual([1, 0]);
    const json = writes.find((w) => w.path === 'feeds/international/feed.json')!;
    expect(json.body).toContain('Summary 3, version 0.');
    expect(new Set(writes.map((w) => w.path)).size).toBe(writes.length); // each document written once
    expect(result.items).toBe(5);
  });

  it('a change stored after the Query: the subscription feeds are rendered again at once, the rest written only from the newer render', async () => {
    const { writes, result, reads, looks, invalidated, notified } = await regenerate([feedOf(3), feedOf(3, 1)], { catchUps: 2 });
    expect([reads(), looks()]).toEqual([2, 3]); // the read; a look that found the change and the read of it; a look after the subscription feeds and one after the rest that found none
    const feedWrites = writes.filter((w) => isFeed(w.path));
    expect(feedWrites).toHaveLength(6);
    const jsonBodies = feedWrites.filter((w) => w.path.endsWith('feed.json')).map((w) => w.body);
    expect(jsonBodies[0]).toContain('Summary 3, version 0.');
    expect(jsonBodies[1]).toContain('Summary 3, version 1.');
    // Everything else once, after the second subscription feeds, and of the newer state.
    const rest = writes.filter((w) => !isFeed(w.path));
    expect(rest.length).toBeGreaterThan(0);
    expect(new Set(rest.map((w) => w.path)).size).toBe(rest.length);
    const lastFeedWrite = writes.map((w) => isFeed(w.path)).lastIndexOf(true);
    expect(writes.slice(0, lastFeedWrite + 1).filter((w) => !isFeed(w.path))).toEqual([]);
    for (const w of rest) expect(w.body).not.toContain('Summary 3, version 0.');
    // The manifest is the newer render's; CDN and hubs hear once, of every path written.
    const again = await regenerate([feedOf(3, 1)], { manifest: result.manifest });
    expect(again.writes).toEqual([]);
    expect(invalidated).toHaveLength(1);
    expect(invalidated[0]).toEqual([...new Set(writes.map((w) => w.path))].sort());
    expect(notified).toEqual([FEEDS.map((p) => `https://feeds.test.example/${p}`).sort()]);
  });

  it('stops looking after catchUps looks when the store keeps moving, and publishes the last state it read', async () => {
    const states = [0, 1, 2, 3, 4, 5, 6].map((v) => feedOf(4, v));
    const { writes, reads, looks, result } = await regenerate(states, { catchUps: 2 });
    expect([reads(), looks()]).toEqual([3, 2]);
    // Read, look, read, look, read: the versions read are 0, 2 and 4, the last one published whole.
    const json = writes.filter((w) => w.path === 'feeds/international/feed.json');
    expect(json.map((w) => [0, 2, 4].find((v) => w.body.includes(`Summary 4, version ${v}.`)))).toEqual([0, 2, 4]);
    const page = writes.filter((w) => w.path === 'feeds/international/index.html');
    expect(page).toHaveLength(1);
    expect(page[0]!.body).toContain('Summary 4, version 4.');
    expect(result.items).toBe(5);
  });

  it('an unchanged store costs two looks (after the subscription feeds, after the rest) and nothing written twice', async () => {
    const { writes, reads, looks } = await regenerate([feedOf(2)], { catchUps: 4 });
    expect([reads(), looks()]).toEqual([1, 2]);
    expect(new Set(writes.map((w) => w.path)).size).toBe(writes.length);
  });

  it('a change stored while the rest was written: it looks once more after the rest, and catches up with it too', async () => {
    // read, look after the subscription feeds: version 0 still; look after the rest: version 1.
    const { writes, reads, looks, result } = await regenerate([feedOf(1), feedOf(1), feedOf(1, 1)], { catchUps: 4 });
    expect([reads(), looks()]).toEqual([2, 4]);
    const json = writes.filter((w) => w.path === 'feeds/international/feed.json');
    expect(json.map((w) => w.body.includes('Summary 1, version 1.'))).toEqual([false, true]);
    const again = await regenerate([feedOf(1, 1)], { manifest: result.manifest });
    expect(again.writes).toEqual([]);
  });

  it('a render that changes no subscription feed does not look again', async () => {
    const first = await regenerate([feedOf(2)]);
    const { writes, reads, looks } = await regenerate([feedOf(2), feedOf(2, 1)], { manifest: first.result.manifest, catchUps: 4 });
    expect(writes).toEqual([]);
    expect([reads(), looks()]).toEqual([1, 0]);
  });

  it('only a batch that brings a feed a burst of changes catches up', () => {
    expect(catchUpsFor(1)).toBe(0);
    expect(catchUpsFor(BURST_CHANGES - 1)).toBe(0);
    expect(catchUpsFor(BURST_CHANGES)).toBe(BURST_CATCH_UPS);
    expect(BURST_CHANGES).toBeGreaterThan(6); // changes arriving evenly at 100,000 a day: about 6 per 5 s window
  });
});
