import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_SCRIPT } from '../../lambdas/core/render/html.js';
import { articleRecord, at, testConfig } from '../helpers/factories.js';
import { assertWellFormedXml, parseWithFeedParser } from '../helpers/feedChecks.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

/** What people and readers see besides the feeds: pages, discovery, OPML, the XSLT view. */
describe('pages and discovery', () => {
  let p: TestPublisher;
  beforeAll(async () => {
    p = await startTestPublisher({ config: testConfig({ tagFeeds: [{ tag: 'Russia Ukraine conflict' }] }) });
    await p.post([
      articleRecord({ id: 'page-story-1', title: 'First <b>page</b> story', tags: ['Russia Ukraine conflict'], publishedAt: at(1), updatedAt: at(1) }),
      articleRecord({ id: 'page-story-2', title: 'Second page story', publishedAt: at(2), updatedAt: at(2) }),
    ]);
  });
  afterAll(async () => {
    await p?.close();
  });

  it('gives each section a human page with its stories, feed addresses as links with a copy button, and autodiscovery', async () => {
    const res = await p.get('/feeds/international/');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toContain('First &lt;b&gt;page&lt;/b&gt; story');
    expect(html).toContain('Second page story');
    // The one inline script, and nothing else that runs (the HTML CSP allows that script by its hash).
    expect([...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1])).toEqual([PAGE_SCRIPT]);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    // Tags with a tag feed link to its page, which exists.
    const tagPage = `${p.url}/feeds/tags/russia-ukraine-conflict/index.html`;
    expect(html).toContain(`<a class="tag" href="${tagPage}">Russia Ukraine conflict</a>`);
    expect((await fetch(tagPage)).status).toBe(200);
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
      const url = `${p.url}/feeds/international/${file}`;
      expect(html).toContain(`<a class="feed-url" href="${url}"`);
      expect(html).toContain(`data-copy="${url}"`);
      expect(html).toMatch(new RegExp(`<link rel="alternate" type="[^"]+" title="[^"]+" href="${p.url}/feeds/international/${file.replace('.', '\\.')}">`));
    }
  });

  it('links the feeds to their page and to the XSLT view, which is served from the same origin', async () => {
    const { rss, atom, json } = await p.feeds('international');
    const page = `${p.url}/feeds/international/index.html`;
    expect(atom).toContain(`<link rel="related" type="text/html" href="${page}"/>`);
    expect(rss).toContain(`<atom:link rel="related" href="${page}" type="text/html"/>`);
    for (const doc of [rss, atom]) expect(doc).toContain(`<?xml-stylesheet href="${p.url}/feeds/feed.xsl" type="text/xsl"?>`);
    expect(json.version).toBe('https://jsonfeed.org/version/1.1'); // plain JSON, no view
    const xsl = await p.get('/feeds/feed.xsl');
    expect(xsl.headers.get('content-type')).toBe('text/xsl; charset=utf-8');
    assertWellFormedXml(await xsl.text());
  });

  it('lists every feed on /feeds/index.html and in an OPML 2.0 file', async () => {
    const index = await (await p.get('/feeds/index.html')).text();
    for (const slug of ['international', 'business', 'science', 'tags/russia-ukraine-conflict']) {
      expect(index).toContain(`href="${p.url}/feeds/${slug}/rss.xml"`);
    }
    const opmlText = await (await p.get('/feeds/index.opml')).text();
    assertWellFormedXml(opmlText);
    const opml = xml.parse(opmlText).opml;
    expect(opml.version).toBe('2.0');
    // Grouped by kind in labelled outlines; the configured tag feed first, then the automatic tag and author feeds.
    const groups = [opml.body.outline].flat() as { text: string; outline: unknown }[];
    expect(groups.map((g) => g.text)).toEqual(['Sections', 'Topics', 'Authors']);
    const outlines = groups.flatMap((g) => [g.outline].flat()) as { xmlUrl: string; type: string; htmlUrl: string }[];
    expect(outlines.map((o) => o.xmlUrl)).toEqual([
      `${p.url}/feeds/international/rss.xml`,
      `${p.url}/feeds/business/rss.xml`,
      `${p.url}/feeds/science/rss.xml`,
      `${p.url}/feeds/tags/russia-ukraine-conflict/rss.xml`,
      `${p.url}/feeds/tags/test-tag/rss.xml`,
      `${p.url}/feeds/authors/test-desk/rss.xml`,
    ]);
    expect(outlines.every((o) => o.type === 'rss')).toBe(true);
    expect((await p.get('/')).url).toBe(`${p.url}/feeds/index.html`);
  });
});

describe('tag feeds', () => {
  let p: TestPublisher;
  beforeAll(async () => {
    p = await startTestPublisher({ config: testConfig({ tagFeeds: [{ tag: 'Russia Ukraine conflict' }] }) });
  });
  afterAll(async () => {
    await p?.close();
  });
  const tagIds = async () => {
    const { rss, atom } = await p.feeds('tags/russia-ukraine-conflict');
    const ids = parseWithFeedParser(atom).items.map((i) => String(i.id).replace(/^.*:article\//, ''));
    expect(parseWithFeedParser(rss).items.map((i) => String(i.id).replace(/^.*:article\//, ''))).toEqual(ids);
    return ids;
  };

  it('collects tagged stories across sections, and is regenerated only when a tagged story changes', async () => {
    await p.post([
      articleRecord({ id: 'tagged-int', section: 'International', tags: ['Russia Ukraine conflict'], publishedAt: at(1), updatedAt: at(1) }),
      articleRecord({ id: 'tagged-biz', section: 'Business', tags: ['Markets', 'Russia Ukraine conflict'], publishedAt: at(2), updatedAt: at(2) }),
    ]);
    expect(await tagIds()).toEqual(['tagged-biz', 'tagged-int']);
    const { json } = await p.feeds('tags/russia-ukraine-conflict');
    expect(json.title).toBe('Russia Ukraine conflict');

    // This tag feed's documents (an untagged story's own tag "Other" gets its automatic feed, elsewhere).
    const tagPuts = () => p.puts.filter((k) => k.startsWith('feeds/tags/russia-ukraine-conflict/')).length;
    const before = tagPuts();
    await p.post(articleRecord({ id: 'untagged', section: 'International', tags: ['Other'], publishedAt: at(3), updatedAt: at(3) }));
    expect(tagPuts()).toBe(before);

    await p.post(articleRecord({ id: 'tagged-int', section: 'International', tags: ['Other'], publishedAt: at(1), updatedAt: at(4) }));
    expect(await tagIds()).toEqual(['tagged-biz']);
    await p.retract('tagged-biz');
    expect(await tagIds()).toEqual([]);
  });
});
