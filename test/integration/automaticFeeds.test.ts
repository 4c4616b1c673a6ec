import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWithFeedParser } from '../helpers/feedChecks.js';
import { articleRecord, at, testConfig } from '../helpers/factories.js';
import { uniqueName } from '../helpers/localAws.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';

/** Automatic tag and author feeds on the real pipeline (DynamoDB Local stream, s3rver), as `npm start` runs it. */
describe('automatic tag and author feeds', () => {
  let p: TestPublisher;
  beforeAll(async () => {
    p = await startTestPublisher({ config: testConfig({ tagFeeds: [{ tag: 'Markets', title: 'Markets desk' }] }) });
  });
  afterAll(async () => {
    await p?.close();
  });

  const record = (id: string, minutes: number, extra: Record<string, unknown> = {}) =>
    articleRecord({
      id,
      publishedAt: at(minutes),
      updatedAt: at(minutes),
      tags: ['Markets', 'Oil prices', 'Ürün fiyatları'],
      authors: [{ name: 'Ana Souza' }, { name: 'Li Wei', url: 'https://news.test.example/people/li-wei' }],
      ...extra,
    });

  it('gives every tag and author of a published article its feed, the item in RSS, Atom and JSON Feed alike', async () => {
    await p.post(record('multi', 0));
    for (const folder of ['tags/markets', 'tags/oil-prices', 'tags/urun-fiyatlar', 'authors/ana-souza', 'authors/li-wei']) {
      expect(await p.feedIds(folder), folder).toEqual(['multi']);
    }
    const { atom, rss } = await p.feeds('authors/li-wei');
    expect(parseWithFeedParser(atom).title).toBe('Li Wei');
    expect(parseWithFeedParser(rss).description).toBe('Stories by Li Wei.');
    // A configured tag feed keeps its overrides.
    expect(parseWithFeedParser((await p.feeds('tags/markets')).atom).title).toBe('Markets desk');
    expect(parseWithFeedParser((await p.feeds('tags/oil-prices')).atom).title).toBe('Oil prices');
  });

  it('links the story page\'s tags and authors to their feeds', async () => {
    const html = await (await p.get('/feeds/international/index.html')).text();
    expect(html).toContain(`<a class="tag" href="${p.url}/feeds/tags/oil-prices/index.html">Oil prices</a>`);
    expect(html).toContain(`<a href="${p.url}/feeds/authors/ana-souza/index.html">Ana Souza</a>`);
    expect((await p.get('/feeds/tags/oil-prices/index.html')).status).toBe(200);
  });

  it('lists the feeds in the index page and OPML, grouped by kind under labels', async () => {
    const index = await (await p.get('/feeds/index.html')).text();
    const headings = [...index.matchAll(/<h2 id="([a-z]+)-feeds">([^<]+)<\/h2>/g)].map((m) => m[2]);
    expect(headings).toEqual(['Sections', 'Topics', 'Authors']);
    const topics = index.slice(index.indexOf('id="tag-feeds"'), index.indexOf('id="author-feeds"'));
    expect(topics).toContain('feeds/tags/oil-prices/index.html');
    expect(index.slice(index.indexOf('id="author-feeds"'))).toContain('feeds/authors/li-wei/index.html');
    const opml = await (await p.get('/feeds/index.opml')).text();
    const groups = [...opml.matchAll(/<outline text="([^"]+)" title="[^"]+">/g)].map((m) => m[1]);
    expect(groups).toEqual(['Sections', 'Topics', 'Authors']);
    const authors = opml.slice(opml.indexOf('<outline text="Authors"'));
    expect(authors).toContain(`xmlUrl="${p.url}/feeds/authors/ana-souza/rss.xml"`);
  });

  it('drops a removed tag\'s item from that feed only, and a retracted article from all; an emptied feed stays, delisted', async () => {
    await p.post(record('multi', 0, { updatedAt: at(1), tags: ['Markets', 'Ürün fiyatları'] }));
    expect(await p.feedIds('tags/oil-prices')).toEqual([]);
    expect(await p.feedIds('tags/markets')).toEqual(['multi']);
    await p.retract('multi');
    for (const folder of ['tags/markets', 'tags/urun-fiyatlar', 'authors/ana-souza', 'authors/li-wei']) expect(await p.feedIds(folder), folder).toEqual([]);
    const index = await (await p.get('/feeds/index.html')).text();
    expect(index).not.toContain('feeds/tags/oil-prices/');
    expect(index).not.toContain('feeds/authors/li-wei/');
    // The configured tag feed is listed even while empty.
    expect(index).toContain('feeds/tags/markets/index.html');
  });

  it('never moves a feed\'s updated time back when its newest item is retracted (a real parser reads it)', async () => {
    await p.post(record('older', 100, { tags: ['Floor'], authors: [{ name: 'Floor Writer' }] }));
    await p.post(record('newest', 110, { tags: ['Floor'], authors: [{ name: 'Floor Writer' }] }));
    const before = await p.feeds('tags/floor');
    const updatedBefore = parseWithFeedParser(before.atom).updated!.getTime();
    expect(updatedBefore).toBe(Date.parse(at(110)));
    await p.retract('newest');
    for (const folder of ['tags/floor', 'authors/floor-writer', 'international']) {
      const after = await p.feeds(folder);
      expect(after.json.items.map((i: { id: string }) => i.id)).not.toContain('tag:news.test.example,2025:article/newest');
      const atomUpdated = parseWithFeedParser(after.atom).updated!.getTime();
      const rssUpdated = parseWithFeedParser(after.rss).updated!.getTime();
      // The retraction's own time (stored as the retracted version's updatedAt) is the feed's newest change.
      expect(atomUpdated, folder).toBeGreaterThan(updatedBefore);
      expect(Math.floor(rssUpdated / 1000)).toBe(Math.floor(atomUpdated / 1000));
      expect(Date.parse(after.json._publisher.updated)).toBe(atomUpdated);
    }
  });
});

describe('feeds that come into being are filled from the stored articles at start-up', () => {
  it('fills a newly configured tag feed, automatic feeds turned on, and a section configured again', async () => {
    const tableName = uniqueName('articles');
    const withScience = [
      { name: 'International', description: 'World news.' },
      { name: 'Science', description: 'Research.' },
    ];
    const off = { tags: { enabled: false }, authors: { enabled: false } };
    const first = await startTestPublisher({ tableName, config: testConfig({ sections: withScience, automaticFeeds: off }) });
    await first.post(articleRecord({ id: 'stored-before', section: 'Science', tags: ['Energy'], authors: [{ name: 'Ana Souza' }], publishedAt: at(0), updatedAt: at(0) }));
    expect((await first.get('/feeds/tags/energy/rss.xml')).status).toBe(404);
    await first.close();

    // Science leaves the configuration for a while: its articles stay stored.
    const second = await startTestPublisher({ tableName, config: testConfig({ sections: [withScience[0]!], automaticFeeds: off }) });
    await second.close();

    // A fresh bucket: every document below is rebuilt from the table alone.
    const third = await startTestPublisher({
      tableName,
      config: testConfig({ sections: withScience, tagFeeds: [{ tag: 'Energy' }], automaticFeeds: { tags: { enabled: false } } }),
    });
    try {
      expect(third.backfillReport.reindexed).toBe(1);
      expect(await third.feedIds('tags/energy')).toEqual(['stored-before']);
      expect(await third.feedIds('authors/ana-souza')).toEqual(['stored-before']);
      expect(await third.feedIds('science')).toEqual(['stored-before']);
      const index = await (await third.get('/feeds/index.html')).text();
      expect(index).toContain('feeds/authors/ana-souza/index.html');
    } finally {
      await third.close();
    }
    // Nothing left to do on the next start with the same configuration.
    const fourth = await startTestPublisher({
      tableName,
      config: testConfig({ sections: withScience, tagFeeds: [{ tag: 'Energy' }], automaticFeeds: { tags: { enabled: false } } }),
    });
    try {
      expect(fourth.backfillReport).toMatchObject({ scanned: 1, reindexed: 0 });
    } finally {
      await fourth.close();
    }
  });
});
