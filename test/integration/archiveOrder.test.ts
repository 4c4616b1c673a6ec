import { parseFeed } from '@rowanmanning/feed-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleRecord, at, testConfig } from '../helpers/factories.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';

const PAGE_SIZE = 10; // the smallest the configuration allows
const LONG = /max-age=86400/;
const idOf = (id: string | null) => String(id).replace(/^.*:article\//, '');

/**
 * Issue 15 item 7: items within an archive page are oldest first by publication time (not in the
 * order they took slots), a full page is cached long even when it is the newest, and JSON Feed
 * pages chain with next_url from the subscription feed towards older pages.
 */
describe('archive pages: order, cache lifetime, JSON Feed chaining', () => {
  let p: TestPublisher;
  beforeAll(async () => {
    p = await startTestPublisher({ config: testConfig({ archivePageSize: PAGE_SIZE }) });
    // Posted newest-published first, one at a time: slot order is the reverse of publication order.
    for (let i = 0; i < 2 * PAGE_SIZE; i++) {
      await p.post(articleRecord({ id: `story-${i}`, publishedAt: at(100 - i), updatedAt: at(100 - i) }));
    }
  }, 180_000);
  afterAll(async () => {
    await p?.close();
  });

  const text = async (path: string) => {
    const res = await p.get(path);
    expect(res.status, path).toBe(200);
    return { body: await res.text(), cacheControl: res.headers.get('cache-control') ?? '' };
  };

  it('orders every page oldest first by publication, in RSS, Atom and JSON Feed', async () => {
    for (let page = 0; page < 2; page++) {
      for (const format of ['rss', 'atom'] as const) {
        const feed = parseFeed((await text(`/feeds/international/archive/${format}-${page}.xml`)).body);
        const times = feed.items.map((item) => item.published!.getTime());
        expect(times, `${format}-${page}`).toHaveLength(PAGE_SIZE);
        expect(times, `${format}-${page}`).toEqual([...times].sort((a, b) => a - b));
      }
      const json = JSON.parse((await text(`/feeds/international/archive/json-${page}.json`)).body) as { items: { date_published: string }[] };
      const times = json.items.map((i) => Date.parse(i.date_published));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    // Slots were taken newest first, so page 0 holds the newest stories, oldest of them first.
    const page0 = parseFeed((await text('/feeds/international/archive/atom-0.xml')).body).items.map((i) => idOf(i.id));
    expect(page0).toEqual(Array.from({ length: PAGE_SIZE }, (_, i) => `story-${PAGE_SIZE - 1 - i}`));
  });

  it('caches a full newest page long, and a growing one short', async () => {
    for (const path of ['/feeds/international/archive/atom-1.xml', '/feeds/international/archive/rss-1.xml', '/feeds/international/archive/json-1.json']) {
      expect((await text(path)).cacheControl, path).toMatch(LONG);
    }
    await p.post(articleRecord({ id: 'story-late', publishedAt: at(200), updatedAt: at(200) }));
    expect((await text('/feeds/international/archive/atom-2.xml')).cacheControl).not.toMatch(LONG);
    expect((await text('/feeds/international/archive/json-2.json')).cacheControl).not.toMatch(LONG);
  });

  it('chains JSON Feed pages with next_url from feed.json to the oldest page, every story once', async () => {
    const seen: string[] = [];
    let next: string | undefined = `${p.url}/feeds/international/feed.json`;
    const visited: string[] = [];
    while (next) {
      visited.push(next);
      const doc = (await (await fetch(next)).json()) as { next_url?: string; items: { id: string }[] };
      if (visited.length > 1) seen.push(...doc.items.map((i) => idOf(i.id)));
      next = doc.next_url;
    }
    expect(visited.slice(1)).toEqual([2, 1, 0].map((n) => `${p.url}/feeds/international/archive/json-${n}.json`));
    expect(seen.sort()).toEqual([...Array.from({ length: 2 * PAGE_SIZE }, (_, i) => `story-${i}`), 'story-late'].sort());
  });

  it('keeps the subscription feeds\' prev-archive links to the newest page', async () => {
    const rss = (await text('/feeds/international/rss.xml')).body;
    const atom = (await text('/feeds/international/atom.xml')).body;
    expect(rss).toMatch(new RegExp(`rel="prev-archive"[^>]*href="${p.url}/feeds/international/archive/rss-2.xml"|href="${p.url}/feeds/international/archive/rss-2.xml"[^>]*rel="prev-archive"`));
    expect(atom).toMatch(new RegExp(`rel="prev-archive"[^>]*href="${p.url}/feeds/international/archive/atom-2.xml"|href="${p.url}/feeds/international/archive/atom-2.xml"[^>]*rel="prev-archive"`));
    expect(parseFeed(rss).items.length).toBeGreaterThan(0);
  });
});
