import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEWS_SITEMAP_FIRST_READ, NEWS_SITEMAP_KEY } from '../../lambdas/core/publish/index.js';
import { createRegenerateHandler } from '../../lambdas/handlers/regenerate.js';
import { articleRecord, articleStreamRecord } from '../helpers/factories.js';
import { injectFault, serviceUnavailable } from '../helpers/faults.js';
import { captureLogs, expectLogged } from '../helpers/logs.js';
import { freshPublishingDeps } from '../helpers/publishingDeps.js';
import { parseSitemap } from '../helpers/sitemapChecks.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';

const NEWEST = Date.parse('2025-06-10T12:00:00Z');
const hoursBefore = (h: number) => new Date(NEWEST - h * 3_600_000).toISOString();
const story = (id: string, hours: number, overrides: Record<string, unknown> = {}) =>
  articleRecord({ id, title: `Story ${id}`, publishedAt: hoursBefore(hours), updatedAt: hoursBefore(hours), ...overrides });
const idOf = (loc: string) => loc.replace(/^.*\//, '');

/** The Google News sitemap and robots.txt on the local server (DynamoDB Local, s3rver), regenerated with the feeds. */
describe('news sitemap', () => {
  let p: TestPublisher;
  const sitemap = async () => {
    const res = await p.get('/sitemaps/news.xml');
    expect(res.status).toBe(200);
    return parseSitemap(await res.text());
  };

  beforeAll(async () => {
    p = await startTestPublisher();
  });
  afterAll(async () => {
    await p?.close();
  });

  it('is served before any article as an empty urlset, and robots.txt names it on the feeds host', async () => {
    const res = await p.get('/sitemaps/news.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=60, s-maxage=3,/);
    expect(parseSitemap(await res.text())).toEqual([]);
    const robots = await p.get('/robots.txt');
    expect(robots.status).toBe(200);
    expect(robots.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect((await robots.text()).split('\n')).toContain(`Sitemap: ${p.url}/sitemaps/news.xml`);
  });

  it("lists every section's articles of the two days up to the newest, newest first, each in its language", async () => {
    // More recent International stories than the first read of a section takes (and than its feeds hold).
    const international = Array.from({ length: NEWS_SITEMAP_FIRST_READ + 4 }, (_, i) => story(`intl-${i}`, 2 * i + 1));
    const { status } = await p.post([
      ...international,
      story('arabic', 0.5, { language: 'ar', title: 'قمة في القاهرة' }),
      story('business-new', 0, { section: 'Business' }),
      story('science-edge', 47.5, { section: 'Science', language: 'pt-BR' }),
      story('too-old', 49),
      story('business-old', 60, { section: 'Business' }),
    ]);
    expect(status).toBe(200);
    const urls = await sitemap();
    expect(urls.map((u) => idOf(u.loc))).toEqual(['business-new', 'arabic', ...international.map((r) => r['id']), 'science-edge']);
    expect(urls.find((u) => idOf(u.loc) === 'arabic')).toEqual({
      loc: 'https://news.test.example/stories/arabic',
      name: 'Test Desk',
      language: 'ar',
      date: hoursBefore(0.5),
      title: 'قمة في القاهرة',
    });
    expect(urls.find((u) => idOf(u.loc) === 'science-edge')!.language).toBe('pt');
    expect(new Set(urls.filter((u) => !['arabic', 'science-edge'].includes(idOf(u.loc))).map((u) => u.language))).toEqual(new Set(['en']));
  });

  it('loses a retracted article and gains a newer one, moving the window', async () => {
    expect((await p.retract('arabic')).status).toBe(200);
    expect((await sitemap()).map((u) => idOf(u.loc))).not.toContain('arabic');
    // A story 10 hours after the newest moves the window: science-edge (47.5 h before) falls out.
    expect((await p.post(story('later', -10, { section: 'Science' }))).status).toBe(200);
    const ids = (await sitemap()).map((u) => idOf(u.loc));
    expect(ids[0]).toBe('later');
    expect(ids).not.toContain('science-edge');
    expect(ids).toContain(`intl-${NEWS_SITEMAP_FIRST_READ + 3}`);
  });

  it('is written only when its bytes change, and its publication is recorded on its own state item', async () => {
    const before = p.puts.filter((k) => k === 'sitemaps/news.xml').length;
    // A change outside the window: the feeds change, the sitemap's bytes do not.
    expect((await p.post(story('ancient', 200, { section: 'Business' }))).status).toBe(200);
    expect(p.puts.filter((k) => k === 'sitemaps/news.xml').length).toBe(before);
    expect(await p.feedIds('business')).toContain('ancient');
    const state = await p.publishingDeps.state.read(NEWS_SITEMAP_KEY);
    expect(state.published).toBe(state.requested);
    expect(Object.keys(state.manifest)).toEqual(['sitemaps/news.xml']);
  });

  it('is not even rendered for an edit that changes nothing it lists (body, summary), and is for a new title', async () => {
    expect((await p.post(story('listed', 3))).status).toBe(200);
    const requested = async () => (await p.publishingDeps.state.read(NEWS_SITEMAP_KEY)).requested;
    const before = await requested();
    expect((await p.post(story('listed', 3, { summary: 'A new summary.', contentHtml: '<p>A new body.</p>', updatedAt: hoursBefore(2) }))).status).toBe(200);
    expect(await requested()).toBe(before);
    expect((await p.feedIds('international'))).toContain('listed');
    expect((await p.post(story('listed', 3, { title: 'A new title', updatedAt: hoursBefore(1) }))).status).toBe(200);
    expect(await requested()).toBe(before + 1);
    expect((await sitemap()).find((u) => idOf(u.loc) === 'listed')?.title).toBe('A new title');
  });
});

/** The regeneration Lambda's handler: a sitemap that could not be written fails the batch's records, and the retry writes it. */
describe('news sitemap in the regeneration handler', () => {
  it('reports the records for retry when the sitemap upload fails, and the retry leaves a retracted article out', async () => {
    const { clients, deps, store, article, bucket } = await freshPublishingDeps();
    const handler = createRegenerateHandler(() => deps);
    const event = () => ({ Records: [articleStreamRecord({ id: 'kept', newSection: 'international', sequenceNumber: '7' }), articleStreamRecord({ id: 'gone', oldSection: 'international', newSection: 'international', sequenceNumber: '8' })] });
    await store.put(article(story('kept', 1)));
    await store.put(article(story('gone', 0)));
    expect(await handler(event())).toEqual({ batchItemFailures: [] });
    const read = async () => parseSitemap(await (await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'sitemaps/news.xml' }))).Body!.transformToString()).map((u) => idOf(u.loc));
    expect(await read()).toEqual(['gone', 'kept']);

    expect(await store.retract('gone')).toBe('retracted');
    const outage = injectFault(clients.s3, { command: 'PutObjectCommand', error: serviceUnavailable, when: (input) => input.Key === 'sitemaps/news.xml' });
    const logs = captureLogs();
    expect(await handler(event())).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }, { itemIdentifier: '8' }] });
    expect(outage.hits).toBe(1);
    expectLogged(logs, 'news sitemap failed', { level: 'error', failedRecords: ['7', '8'], error: { name: 'ServiceUnavailable' } });
    logs.restore();
    expect(await read()).toEqual(['gone', 'kept']);
    outage.disable();
    expect(await handler(event())).toEqual({ batchItemFailures: [] });
    expect(await read()).toEqual(['kept']);
  });
});
