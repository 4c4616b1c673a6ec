import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleRecord, at, testConfig } from '../helpers/factories.js';
import { assertWellFormedXml } from '../helpers/feedChecks.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['entry', 'link', 'item', 'atom:link'].includes(name) });
type Link = { rel: string; href: string };

/** RFC 5005 archived feeds: a reader walks prev-archive from the subscription feed back through the whole section. */
describe('archived feeds', () => {
  let p: TestPublisher;
  beforeAll(async () => {
    p = await startTestPublisher({ config: testConfig({ archivePageSize: 10 }) });
    // 25 stories, posted in a few batches: pages 0 and 1 fill up, page 2 holds the newest five.
    for (let start = 0; start < 25; start += 7) {
      const batch = Array.from({ length: Math.min(7, 25 - start) }, (_, k) => articleRecord({ id: `old-${start + k}`, publishedAt: at(start + k), updatedAt: at(start + k) }));
      await p.post(batch);
    }
  });
  afterAll(async () => {
    await p?.close();
  });

  async function atomPage(url: string) {
    const text = await (await fetch(url)).text();
    assertWellFormedXml(text);
    const feed = xml.parse(text).feed;
    const links = feed.link as Link[];
    return {
      text,
      ids: ((feed.entry ?? []) as { id: string }[]).map((e) => e.id.replace(/^.*:article\//, '')),
      link: (rel: string) => links.find((l) => l.rel === rel)?.href,
      archived: 'fh:archive' in feed,
    };
  }

  async function walk() {
    const subscription = await atomPage(`${p.url}/feeds/international/atom.xml`);
    const pages: Awaited<ReturnType<typeof atomPage>>[] = [];
    for (let next = subscription.link('prev-archive'); next; next = pages.at(-1)!.link('prev-archive')) pages.push(await atomPage(next));
    return { subscription, pages };
  }

  it('walking prev-archive from the subscription feed yields every published story exactly once', async () => {
    const { subscription, pages } = await walk();
    expect(subscription.archived).toBe(false);
    expect(pages).toHaveLength(3);
    const seen = pages.flatMap((page) => page.ids);
    expect(seen.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `old-${i}`).sort());
    expect(new Set(seen).size).toBe(seen.length);
    for (const page of pages) {
      expect(page.archived).toBe(true);
      expect(page.link('current')).toBe(`${p.url}/feeds/international/atom.xml`);
    }
    expect(pages[0]!.link('next-archive')).toBeUndefined(); // the newest page
    expect(pages[2]!.link('prev-archive')).toBeUndefined(); // the oldest page
    expect(pages[2]!.link('next-archive')).toBe(pages[1]!.link('self'));
    // Full pages are cached for long; the newest (still growing) page like the feed.
    const full = await fetch(`${p.url}/feeds/international/archive/atom-0.xml`);
    expect(full.headers.get('cache-control')).toMatch(/max-age=86400/);
    const newest = await fetch(`${p.url}/feeds/international/archive/atom-2.xml`);
    expect(newest.headers.get('cache-control')).not.toMatch(/max-age=86400/);
    const rss = await (await fetch(`${p.url}/feeds/international/archive/rss-1.xml`)).text();
    assertWellFormedXml(rss);
    expect(rss).toContain('<fh:archive/>');
  });

  it('keeps full pages byte-stable across unrelated changes; edits and retractions change only their own page', async () => {
    const etag = async (n: number) => (await fetch(`${p.url}/feeds/international/archive/atom-${n}.xml`)).headers.get('etag');
    // Slots follow the order stories entered the section (concurrent posts: any order within a batch).
    const [page0, page1] = await Promise.all([0, 1].map((n) => atomPage(`${p.url}/feeds/international/archive/atom-${n}.xml`)));
    const inPage0 = page0!.ids[0]!;
    const inPage1 = page1!.ids[0]!;
    const before = [await etag(0), await etag(1)];
    await p.post(articleRecord({ id: 'newcomer', publishedAt: at(100), updatedAt: at(100) }));
    await p.post(articleRecord({ id: 'other-section', section: 'Business', publishedAt: at(101), updatedAt: at(101) }));
    expect([await etag(0), await etag(1)]).toEqual(before);

    const n = Number(inPage1.replace('old-', ''));
    await p.post(articleRecord({ id: inPage1, title: 'Corrected headline', publishedAt: at(n), updatedAt: at(200) }));
    await p.retract(inPage0);
    expect(await etag(0)).not.toBe(before[0]);
    expect(await etag(1)).not.toBe(before[1]);
    const { pages } = await walk();
    const all = pages.flatMap((page) => page.ids);
    expect(all).not.toContain(inPage0);
    expect(all).toContain('newcomer');
    expect(new Set(all).size).toBe(all.length);
    const edited = await atomPage(`${p.url}/feeds/international/archive/atom-1.xml`);
    expect(edited.text).toContain('Corrected headline');
    expect(edited.ids).toContain(inPage1);
  });

  it('a story moved to another section leaves this section\'s archive and joins the other\'s', async () => {
    await p.post(articleRecord({ id: 'old-20', section: 'Business', publishedAt: at(20), updatedAt: at(300) }));
    const { pages } = await walk();
    expect(pages.flatMap((page) => page.ids)).not.toContain('old-20');
    const business = await atomPage(`${p.url}/feeds/business/archive/atom-0.xml`);
    expect(business.ids).toContain('old-20');
  });
});
