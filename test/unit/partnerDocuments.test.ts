import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ArticleValidator, type Article } from '../../lambdas/core/article/index.js';
import { loadPublisherConfigFromCdkJson, type PublisherConfig } from '../../lambdas/core/config/index.js';
import { parseContentFile } from '../../lambdas/core/content/index.js';
import { sectionTarget } from '../../lambdas/core/feeds/index.js';
import { renderFeedDocuments, type RenderedDocument } from '../../lambdas/core/render/index.js';
import { articleRecord, at, testConfig } from '../helpers/factories.js';
import { assertWellFormedXml, parseWithFeedParser } from '../helpers/feedChecks.js';

const BASE = 'https://feeds.test.example';
const schema = JSON.parse(readFileSync(new URL('../fixtures/schemas/ninjs-schema_3.1.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
// ninjs refers to the GeoJSON schema for place geometry, which we never emit; the tests run offline,
// so an object-typed stand-in takes its place (any geometry we emitted would still have to be an object).
ajv.addSchema({ $id: 'https://geojson.org/schema/GeoJSON.json', type: 'object' });
const validateNinjs = ajv.compile(schema);

function expectValidNinjs(doc: RenderedDocument) {
  const ok = validateNinjs(JSON.parse(doc.body));
  expect(ok, `${doc.path}: ${JSON.stringify(validateNinjs.errors, null, 2)}`).toBe(true);
}

const summaryOnly = testConfig({
  imageDefaults: { credit: 'Test Desk photo', rights: 'Republication by licensed partners only.' },
  sections: [{ name: 'International', description: 'World news.', fullTextInPublicFeeds: false }, { name: 'Business', description: 'Markets.' }],
});

function article(config: PublisherConfig, overrides: Record<string, unknown> = {}): Article {
  const result = new ArticleValidator(config).parse(articleRecord(overrides));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.article;
}

const byPath = (docs: RenderedDocument[]) => new Map(docs.map((d) => [d.path, d]));

describe('partner documents of a section', () => {
  const a = article(summaryOnly, {
    id: 'full-story',
    contentHtml: '<p>The secret full body.</p>',
    image: { url: 'https://news.test.example/images/p.jpg', alt: 'Alt text', caption: 'A caption', credit: 'Jane Doe / Agency', rights: '© Agency 2025', width: 1200, height: 800 },
    authors: [{ name: 'Ann Author', url: 'https://news.test.example/ann' }],
    tags: ['Alpha', 'Beta'],
    publishedAt: at(0),
    updatedAt: at(5),
  });
  const b = article(summaryOnly, { id: 'second', contentHtml: '<p>Another secret body.</p>', image: { url: 'https://news.test.example/images/q.jpg', alt: 'Q' }, publishedAt: at(-10), updatedAt: at(-10) });
  const docs = byPath(renderFeedDocuments(summaryOnly, sectionTarget(summaryOnly, summaryOnly.sections[0]!.slug), BASE, [a, b]));

  it('writes partner feeds, one ninjs document per article and the listing, all private to caches', () => {
    for (const path of ['partners/international/rss.xml', 'partners/international/atom.xml', 'partners/international/feed.json', 'partners/international/ninjs.json', 'partners/international/ninjs/full-story.json', 'partners/international/ninjs/second.json']) {
      expect(docs.get(path)?.cacheControl, path).toBe(`private, max-age=${summaryOnly.feedMaxAgeSeconds}`);
    }
    expect(docs.get('partners/international/ninjs.json')?.contentType).toBe('application/json; charset=utf-8');
  });

  it('summary-only section: public feeds carry no full text, partner feeds always do', () => {
    for (const path of ['feeds/international/rss.xml', 'feeds/international/atom.xml', 'feeds/international/feed.json']) {
      const body = docs.get(path)!.body;
      expect(body, path).not.toContain('secret full body');
      expect(body, path).not.toContain('secret body');
      expect(body, path).toContain('Summary of synthetic story');
    }
    for (const path of ['partners/international/rss.xml', 'partners/international/atom.xml', 'partners/international/feed.json']) {
      expect(docs.get(path)!.body, path).toContain('The secret full body.');
    }
    const fullText = byPath(renderFeedDocuments(summaryOnly, sectionTarget(summaryOnly, summaryOnly.sections[1]!.slug), BASE, [article(summaryOnly, { id: 'biz', section: 'Business', contentHtml: '<p>Biz body.</p>' })]));
    expect(fullText.get('feeds/business/rss.xml')!.body).toContain('Biz body.');
  });

  it('partner feeds: own self links and feed ids, the public item ids, canonical URLs, authors, tags, image caption, credit and rights', () => {
    const rss = docs.get('partners/international/rss.xml')!.body;
    const atom = docs.get('partners/international/atom.xml')!.body;
    const json = JSON.parse(docs.get('partners/international/feed.json')!.body);
    assertWellFormedXml(rss);
    assertWellFormedXml(atom);
    const parsedRss = parseWithFeedParser(rss);
    const parsedAtom = parseWithFeedParser(atom);
    expect(parsedRss.self).toBe(`${BASE}/partners/international/rss.xml`);
    expect(parsedAtom.self).toBe(`${BASE}/partners/international/atom.xml`);
    expect(json.feed_url).toBe(`${BASE}/partners/international/feed.json`);
    expect(atom).toContain('<id>tag:news.test.example,2025:partner-section/international</id>');
    expect(parsedAtom.items[0]!.id).toBe('tag:news.test.example,2025:article/full-story');
    expect(parsedAtom.items[0]!.url).toBe('https://news.test.example/stories/full-story');
    expect(parsedRss.items[0]!.authors.map((x) => x.name)).toEqual(['Ann Author']);
    expect(parsedAtom.items[0]!.categories.map((c) => c.term)).toEqual(['Alpha', 'Beta']);
    for (const xml of [rss, atom]) {
      expect(xml).toContain('<media:title type="plain">A caption</media:title>');
      expect(xml).toContain('<media:credit>Jane Doe / Agency</media:credit>');
      expect(xml).toContain('<media:copyright>© Agency 2025</media:copyright>');
      // The article without its own credit and rights gets the site-wide defaults.
      expect(xml).toContain('<media:credit>Test Desk photo</media:credit>');
      expect(xml).toContain('<media:copyright>Republication by licensed partners only.</media:copyright>');
    }
    expect(json.items[0]._image).toMatchObject({ caption: 'A caption', credit: 'Jane Doe / Agency', rights: '© Agency 2025', alt: 'Alt text' });
    expect(json.items[0].content_html).toBe('<p>The secret full body.</p>');
  });

  it('every ninjs document, listing included, validates against the ninjs 3.1 schema', () => {
    const ninjs = [...docs.values()].filter((d) => d.path.includes('ninjs'));
    expect(ninjs).toHaveLength(3);
    for (const doc of ninjs) expectValidNinjs(doc);
    const listing = JSON.parse(docs.get('partners/international/ninjs.json')!.body);
    expect(listing.type).toBe('composite');
    expect(listing.associations.map((x: { uri: string }) => x.uri)).toEqual(['tag:news.test.example,2025:article/full-story', 'tag:news.test.example,2025:article/second']);
    expect(listing.associations[0].renditions[0]).toEqual({ name: 'ninjs', href: `${BASE}/partners/international/ninjs/full-story.json`, contentType: 'application/json' });
  });

  it('the schema is really applied: a document missing its uri or with an unknown property fails', () => {
    const good = JSON.parse(docs.get('partners/international/ninjs/full-story.json')!.body);
    expect(validateNinjs({ ...good, uri: undefined })).toBe(false);
    expect(validateNinjs({ ...good, versioncreated: good.versionCreated })).toBe(false);
  });
});

describe('ninjs of the seed article (content/international-putin-kursk-visit.md)', () => {
  const config = loadPublisherConfigFromCdkJson(new URL('../../cdk.json', import.meta.url).pathname);
  const file = 'international-putin-kursk-visit.md';
  const record = parseContentFile(file, readFileSync(new URL(`../../content/${file}`, import.meta.url), 'utf8'), { feedsOrigin: BASE });
  const result = new ArticleValidator(config).parse(record);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const seed = result.article;
  const docs = byPath(renderFeedDocuments(config, sectionTarget(config, config.sections[0]!.slug), BASE, [seed]));
  const doc = docs.get('partners/international/ninjs/international-putin-kursk-visit.json')!;

  it('validates and carries the article right', () => {
    expectValidNinjs(doc);
    expectValidNinjs(docs.get('partners/international/ninjs.json')!);
    const ninjs = JSON.parse(doc.body);
    expect(ninjs).toMatchObject({
      uri: 'tag:news.example.org,2025:article/international-putin-kursk-visit',
      type: 'text',
      firstCreated: '2025-05-20T06:30:00.000Z',
      versionCreated: '2025-05-20T06:30:00.000Z',
      language: 'en',
      headlines: [{ role: 'main', value: 'Putin Visits Kursk for First Time Since Russian Forces Reclaimed Region from Ukraine' }],
      by: 'IIE Digital Desk',
      people: [{ name: 'IIE Digital Desk', rel: 'author' }],
      subjects: [
        { name: 'Putin Kursk visit', rel: 'about' },
        { name: 'Russia Ukraine conflict', rel: 'about' },
      ],
      altIds: [{ role: 'canonicalUrl', value: seed.url }, { role: 'articleId', value: 'international-putin-kursk-visit' }],
      renditions: [{ name: 'web', href: seed.url, contentType: 'text/html' }],
    });
    expect(ninjs.bodies).toEqual([{ role: 'main', contentType: 'text/html', value: seed.contentHtml }]);
    expect(ninjs.bodies[0].value).toContain('Kursk-II nuclear power plant');
    expect(ninjs.descriptions[0].value).toMatch(/^Russian President Vladimir Putin has made his first visit/);
    expect(ninjs.associations).toEqual([
      expect.objectContaining({
        name: 'leadImage',
        type: 'picture',
        uri: `${BASE}/media/international/putin-kursk-visit-placeholder.jpg`,
        descriptions: [
          { role: 'alt', contentType: 'text/plain', value: 'Placeholder image: a labelled stand-in for a photo of the Kursk visit' },
          { role: 'caption', contentType: 'text/plain', value: "Placeholder image, to be replaced with the newsroom's photo of the Kursk visit" },
        ],
        renditions: [{ name: 'original', href: `${BASE}/media/international/putin-kursk-visit-placeholder.jpg`, contentType: 'image/jpeg', width: 1200, height: 675 }],
      }),
    ]);
  });
});
