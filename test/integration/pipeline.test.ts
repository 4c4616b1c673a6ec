import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed } from '@rowanmanning/feed-parser';
import { articleRecord, at } from '../helpers/factories.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';

/** Ingest -> DynamoDB stream -> regeneration handler -> S3 -> served feed, on DynamoDB Local and s3rver. */
describe('publishing pipeline', () => {
  let p: TestPublisher;
  beforeAll(async () => {
    p = await startTestPublisher();
  });
  afterAll(async () => {
    await p?.close();
  });

  it('publishes a new article to all three feeds of its section by the time the POST returns', async () => {
    const { status, json } = await p.post(articleRecord({ id: 'create-me', title: 'Created', publishedAt: at(0), updatedAt: at(0) }));
    expect(status).toBe(200);
    expect(json.results).toEqual([{ index: 0, id: 'create-me', status: 'stored' }]);
    expect(await p.feedIds('international')).toEqual(['create-me']);
    expect(parseFeed((await p.feeds('international')).atom).items[0]?.title).toBe('Created');
  });

  it('shows an update, and ignores an older version arriving late', async () => {
    await p.post(articleRecord({ id: 'edit-me', title: 'First', publishedAt: at(10), updatedAt: at(10) }));
    const updated = await p.post(articleRecord({ id: 'edit-me', title: 'Second', publishedAt: at(10), updatedAt: at(11) }));
    expect(updated.json.results[0].status).toBe('stored');
    const older = await p.post(articleRecord({ id: 'edit-me', title: 'Stale', publishedAt: at(10), updatedAt: at(10) }));
    expect(older.json.results[0].status).toBe('ignored-older');
    const { json } = await p.feeds('international');
    expect(json.items.find((i: { id: string }) => i.id.endsWith('/edit-me')).title).toBe('Second');
  });

  it('rejects a conflicting body at the same updatedAt and stores nothing of it', async () => {
    await p.post(articleRecord({ id: 'conflicted', title: 'Original', publishedAt: at(20), updatedAt: at(20) }));
    const { status, json } = await p.post(articleRecord({ id: 'conflicted', title: 'Other', publishedAt: at(20), updatedAt: at(20) }));
    expect(status).toBe(200);
    expect(json.results[0]).toMatchObject({ status: 'error', error: 'conflict', errors: [{ field: 'updatedAt' }] });
    const { json: feed } = await p.feeds('international');
    expect(feed.items.find((i: { id: string }) => i.id.endsWith('/conflicted')).title).toBe('Original');
  });

  it('does not re-upload or regenerate anything for an identical re-post', async () => {
    const record = articleRecord({ id: 'same-again', publishedAt: at(30), updatedAt: at(30) });
    await p.post(record);
    const puts = p.puts.length;
    const invocations = p.poller.stats.invocations;
    const again = await p.post(record);
    expect(again.json.results[0].status).toBe('unchanged');
    expect(p.puts.length).toBe(puts);
    expect(p.poller.stats.invocations).toBe(invocations);
  });

  it('retracts with DELETE: the article leaves every feed', async () => {
    await p.post(articleRecord({ id: 'retract-me', publishedAt: at(40), updatedAt: at(40) }));
    expect(await p.feedIds('international')).toContain('retract-me');
    const { status, json } = await p.retract('retract-me');
    expect({ status, json }).toEqual({ status: 200, json: { id: 'retract-me', status: 'retracted' } });
    expect(await p.feedIds('international')).not.toContain('retract-me');
    expect((await p.retract('retract-me')).json.status).toBe('unchanged');
    expect((await p.retract('never-existed')).status).toBe(404);
  });

  it('retracts with a record whose status is retracted', async () => {
    await p.post(articleRecord({ id: 'retract-by-record', publishedAt: at(45), updatedAt: at(45) }));
    await p.post(articleRecord({ id: 'retract-by-record', publishedAt: at(45), updatedAt: at(46), status: 'retracted' }));
    expect(await p.feedIds('international')).not.toContain('retract-by-record');
  });

  it('moves an article: it leaves its old section and joins the new one, keeping its id', async () => {
    await p.post(articleRecord({ id: 'mover', section: 'International', publishedAt: at(50), updatedAt: at(50) }));
    expect(await p.feedIds('international')).toContain('mover');
    await p.post(articleRecord({ id: 'mover', section: 'Business', publishedAt: at(50), updatedAt: at(51) }));
    expect(await p.feedIds('international')).not.toContain('mover');
    expect(await p.feedIds('business')).toEqual(['mover']);
    const other = await p.feeds('science');
    expect(other.json.items).toEqual([]);
  });

  it('stores the good records of a batch and reports each bad one by field', async () => {
    const { status, json } = await p.post([
      articleRecord({ id: 'good-one', publishedAt: at(60), updatedAt: at(60) }),
      articleRecord({ id: 'bad-one', url: 'not a url', authors: [] }),
      articleRecord({ id: 'good-two', publishedAt: at(61), updatedAt: at(61) }),
    ]);
    expect(status).toBe(200);
    expect(json.results.map((r: { status: string }) => r.status)).toEqual(['stored', 'error', 'stored']);
    expect(json.results[1].errors.map((e: { field: string }) => e.field).sort()).toEqual(['authors', 'url']);
    const ids = await p.feedIds('international');
    expect(ids).toEqual(expect.arrayContaining(['good-one', 'good-two']));
    expect(ids).not.toContain('bad-one');
    expect(await p.ingestDeps.store.get('bad-one')).toBeUndefined();
  });

  it('answers 400 with field errors when nothing is valid, and for a body that is not JSON', async () => {
    const bad = await p.post([{ id: 'Bad Id' }]);
    expect(bad.status).toBe(400);
    expect(bad.json.results[0].errors.map((e: { field: string }) => e.field)).toContain('id');
    const notJson = await p.post('{nope');
    expect(notJson).toEqual({ status: 400, json: { error: 'invalid', errors: [{ field: '(body)', message: 'must be JSON: one article record or an array of them' }] } });
  });

  it('keeps newest first and at most itemsPerFeed items whatever the archive holds', async () => {
    const records = Array.from({ length: 12 }, (_, i) => articleRecord({ id: `science-${i}`, section: 'Science', publishedAt: at(100 + i), updatedAt: at(100 + i) }));
    await p.post(records);
    expect(await p.feedIds('science')).toEqual(['science-11', 'science-10', 'science-9', 'science-8', 'science-7']);
  });
});
