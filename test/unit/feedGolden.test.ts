import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readerView } from '../helpers/feedChecks.js';
import { RICH_BASE, renderRichFixture } from '../helpers/richFixture.js';

/**
 * The golden files are the rich fixture as rendered before the writers were rewritten (by the
 * `feed` package plus regex splices). Every reader-visible field must read the same now, except
 * the deliberate fixes of issue 15, each asserted as its new value.
 */
const golden = (file: string) => readFileSync(new URL(`../fixtures/golden/${file}`, import.meta.url), 'utf8');
const current = renderRichFixture();
const PAGE = `${RICH_BASE}/feeds/international/index.html`;

/** The feed page was a second rel="alternate"; it is now rel="related" (issue 15, 1). */
const pageIsRelated = (links: string[]) => links.map((l) => (l === `alternate ${PAGE}` ? `related ${PAGE}` : l)).sort();

describe('golden output of the rich fixture', () => {
  for (const file of ['rss.xml', 'archive-rss-0.xml'] as const) {
    it(`${file}: same reader-visible fields; plus channel pubDate, an enclosure per image, the page as rel="related"`, () => {
      const before = readerView(golden(file));
      const after = readerView(current[file]);
      expect(before.items.length).toBe(3);
      expect(after).toEqual({
        ...before,
        links: pageIsRelated(before.links),
        pubDate: before.lastBuildDate,
        items: before.items.map((item) => ({
          ...item,
          ...(item.media && { enclosure: { url: item.media.url, type: item.media.type, length: '0' } }),
        })),
      });
      // The deliberate changes, as values.
      expect(after.pubDate).toBe('Sun, 01 Jun 2025 10:30:00 GMT');
      expect(after.links).toContain(`related ${PAGE}`);
      expect(after.links.filter((l) => l.startsWith('alternate '))).toEqual([]);
      expect(after.items.find((i) => i.id?.endsWith('/g7-leaders'))!.enclosure).toEqual({ url: 'https://news.test.example/images/g7.jpg', type: 'image/jpeg', length: '0' });
      expect(before.items.every((i) => i.enclosure === undefined)).toBe(true);
    });
  }

  for (const file of ['atom.xml', 'archive-atom-0.xml'] as const) {
    it(`${file}: same reader-visible fields; plus titles and summaries as type="text", the page as rel="related"`, () => {
      const before = readerView(golden(file));
      const after = readerView(current[file]);
      expect(after).toEqual({
        ...before,
        links: pageIsRelated(before.links),
        items: before.items.map((item) => ({ ...item, titleType: 'text', summaryType: 'text' })),
      });
      expect(before.items.map((i) => i.titleType)).toEqual(['html', 'html', 'html']);
      expect(after.items.map((i) => [i.titleType, i.summaryType, i.contentType])).toEqual(Array(3).fill(['text', 'text', 'html']));
      expect(after.homeLink).toBe('https://news.test.example/international');
      expect(after.links).toContain(`related ${PAGE}`);
      expect(after.links).not.toContain(`alternate ${PAGE}`);
      // A plain-text title reads as written, with & and < (not entity-escaped twice).
      expect(current[file]).toContain('<title type="text">G7 &amp; EU leaders &lt;meet&gt; in Rome</title>');
    });
  }

  it('feed.json is unchanged', () => {
    expect(JSON.parse(current['feed.json'])).toEqual(JSON.parse(golden('feed.json')));
  });

  it('the fixture exercises what it claims to: several authors, one with a URL, image metadata, tags with &, archive links', () => {
    const atom = readerView(golden('atom.xml'));
    const first = atom.items[0]!;
    expect(first.authors).toEqual([{ name: 'Ann Author', url: 'https://news.test.example/authors/ann' }, { name: 'Bo Writer', url: null }, { name: 'Cy Reporter', url: null }]);
    expect(first.categories).toContain('Trade & Tariffs');
    expect(first.media).toMatchObject({ width: '1200', height: '800', alt: 'Leaders at the table', caption: 'The G7 summit in Rome', credit: 'Photo: Jane Doe / Agency' });
    expect(atom.links).toEqual(expect.arrayContaining([`hub https://hub.test.example/`, `prev-archive ${RICH_BASE}/feeds/international/archive/atom-0.xml`]));
    expect(readerView(golden('archive-atom-0.xml')).links).toEqual(expect.arrayContaining([`current ${RICH_BASE}/feeds/international/atom.xml`, `next-archive ${RICH_BASE}/feeds/international/archive/atom-1.xml`]));
  });
});
