import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublisherConfigFromCdkJson } from '../../lambdas/core/config/index.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';

const example = (name: string) => readFileSync(`docs/examples/${name}.json`, 'utf8');
const CONTRACT = readFileSync('docs/CONTRACT.md', 'utf8');
const SEED_ID = 'international-putin-kursk-visit';
/** The fields docs/CONTRACT.md says bad.json breaks. */
const BAD_FIELDS = ['id', 'title', 'url', 'section', 'authors', 'image.url', 'image.width', 'publishedAt', 'status'];

/** docs/examples/*.json posted as the README and docs/CONTRACT.md show, to the local server with the shipped configuration and content. */
describe('the documented example records', () => {
  let p: TestPublisher;
  beforeAll(async () => {
    p = await startTestPublisher({ config: loadPublisherConfigFromCdkJson('cdk.json'), contentDir: 'content' });
    expect(p.contentReport.map((r) => r.result.status)).toEqual(['stored']);
  });
  afterAll(async () => {
    await p?.close();
  });

  const ids = () => p.feedIds('international');

  it('are not the seed article, so that trying them (and their DELETE) leaves the seed alone', () => {
    const exampleIds = ['valid', 'full', 'bad'].map((n) => JSON.parse(example(n)).id);
    expect(exampleIds).toEqual(['example-minimal-story', 'example-full-story', 'Example Bad Record!']);
    expect(exampleIds).not.toContain(SEED_ID);
  });

  it('valid.json (required fields only) is stored and in the feeds when the answer returns; again, unchanged', async () => {
    const { status, json } = await p.post(example('valid'));
    expect({ status, json }).toEqual({ status: 200, json: { results: [{ index: 0, id: 'example-minimal-story', status: 'stored' }] } });
    expect(await ids()).toContain('example-minimal-story');
    expect((await p.post(example('valid'))).json.results[0].status).toBe('unchanged');
  });

  it('full.json (every optional field) is stored with all of them in the feeds', async () => {
    const { status, json } = await p.post(example('full'));
    expect({ status, json }).toEqual({ status: 200, json: { results: [{ index: 0, id: 'example-full-story', status: 'stored' }] } });
    const record = JSON.parse(example('full'));
    const item = (await p.feeds('international')).json.items.find((i: { id: string }) => i.id.endsWith('/example-full-story'));
    expect(item).toMatchObject({
      title: record.title,
      url: record.url,
      image: record.image.url,
      tags: record.tags,
      authors: record.authors,
      date_published: new Date(record.publishedAt).toISOString(),
      date_modified: new Date(record.updatedAt).toISOString(),
    });
    expect(item.language).toBe(record.language);
    // Every optional field of the documented tables is set.
    for (const field of ['tags', 'image', 'status']) expect(record).toHaveProperty(field);
    for (const field of ['caption', 'credit', 'rights', 'width', 'height', 'type', 'length']) expect(record.image).toHaveProperty(field);
    // The image's byte length reaches the RSS enclosure.
    expect((await p.feeds('international')).rss).toContain(`<enclosure url="${record.image.url}" length="${record.image.length}" type="${record.image.type}"/>`);
    expect(record.authors.some((a: { url?: string }) => a.url)).toBe(true);
    // Corrections: shown with the story, and as data in JSON Feed's _corrections.
    expect(item._corrections.items).toEqual(record.corrections.map((c: { at: string; text: string }) => ({ at: new Date(c.at).toISOString(), text: c.text })));
    expect(item.content_html).toContain('<aside class="corrections">');
  });

  it('bad.json gets 400, one error for each documented field, and nothing is stored', async () => {
    const before = await ids();
    const { status, json } = await p.post(example('bad'));
    expect(status).toBe(400);
    expect(json.results).toHaveLength(1);
    expect(json.results[0]).toMatchObject({ index: 0, status: 'error', error: 'invalid' });
    const fields = (json.results[0].errors as { field: string; message: string }[]).map((e) => e.field);
    expect([...fields].sort()).toEqual([...BAD_FIELDS].sort());
    for (const e of json.results[0].errors) expect(e.message.length, e.field).toBeGreaterThan(0);
    expect(await ids()).toEqual(before);
    // The contract's table of examples names the same fields.
    const row = CONTRACT.split('\n').find((l) => l.includes('examples/bad.json'))!;
    expect([...row.matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter((f) => !/\/|^\d+$/.test(f!))).toEqual(BAD_FIELDS);
  });

  it('DELETE retracts the example only; re-posting it is ignored-older, a later updatedAt brings it back', async () => {
    await p.post(example('valid'));
    const { status, json } = await p.retract('example-minimal-story');
    expect({ status, json }).toEqual({ status: 200, json: { id: 'example-minimal-story', status: 'retracted' } });
    const after = await ids();
    expect(after).not.toContain('example-minimal-story');
    expect(after).toContain(SEED_ID);
    expect((await p.post(example('valid'))).json.results[0].status).toBe('ignored-older');
    const restored = await p.post({ ...JSON.parse(example('valid')), updatedAt: new Date(Date.now() + 1000).toISOString() });
    expect(restored.json.results[0].status).toBe('stored');
    expect(await ids()).toContain('example-minimal-story');
  });
});
