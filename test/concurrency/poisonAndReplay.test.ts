import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleKey, ENTITY_ARTICLE, ENTITY_ENTRY, entrySortKey, sectionPk } from '../../lambdas/core/storage/index.js';
import { articleRecord, at } from '../helpers/factories.js';
import { injectFault, serviceUnavailable } from '../helpers/faults.js';
import { localClients } from '../helpers/localAws.js';
import { captureLogs, expectLogged } from '../helpers/logs.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';

/** Guarantee 5: a poison record never blocks the others; after bounded retries it is dead-lettered with context, and can be replayed. */
describe('poison records, dead letters and replay', () => {
  const clients = localClients();
  const s3Outage = injectFault(clients.s3, { command: 'PutObjectCommand', error: serviceUnavailable, when: (input) => String(input.Key).startsWith('feeds/science/') });
  s3Outage.disable();
  let p: TestPublisher;
  beforeAll(async () => {
    p = await startTestPublisher({ clients, poller: { maxRetries: 2, retryDelayMs: 5, batchingWindowMs: 50 } });
  });
  afterAll(async () => {
    await p?.close();
  });

  /** An article that got into the table without validation (by hand, or by older code): its URL breaks rendering. */
  async function writePoison(id: string) {
    const doc = JSON.stringify({ ...articleRecord({ id, publishedAt: at(5), updatedAt: at(5) }), url: 'not a url', sectionSlug: 'international', section: 'International' });
    const entry = { pk: sectionPk('international'), sk: entrySortKey(Date.parse(at(5)), id) };
    await DynamoDBDocumentClient.from(clients.dynamo).send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: p.tableName, Item: { ...articleKey(id), entity: ENTITY_ARTICLE, id, sectionSlug: 'international', status: 'published', updatedAtMs: Date.parse(at(5)), contentHash: 'x', entryPk: entry.pk, entrySk: entry.sk, doc } } },
          { Put: { TableName: p.tableName, Item: { ...entry, entity: ENTITY_ENTRY, id, updatedAtMs: Date.parse(at(5)), doc } } },
        ],
      }),
    );
  }

  it('publishes the section without the poison article, dead-letters only its record, and replays it once fixed', async () => {
    const logs = captureLogs();
    await Promise.all([
      writePoison('poison-pill'),
      p.post(articleRecord({ id: 'healthy-1', publishedAt: at(1), updatedAt: at(1) })),
      p.post(articleRecord({ id: 'healthy-2', publishedAt: at(2), updatedAt: at(2) })),
    ]);
    await p.poller.settle();
    expect(await p.feedIds('international')).toEqual(['healthy-2', 'healthy-1']);

    expect(p.deadLetters.letters).toHaveLength(1);
    const [letter] = p.deadLetters.letters;
    expect(letter!.records!.map((r) => r.dynamodb?.Keys?.['pk']?.S)).toEqual(['ARTICLE#poison-pill']);
    expect(letter!.error).toBe('handler reported batch item failures');
    expect(letter!.DDBStreamBatchInfo).toMatchObject({ streamArn: p.streamArn, batchSize: 1 });
    // Each failed attempt names the poison article and why; the dead letter is logged with its batch.
    expectLogged(logs, 'regeneration failed', { level: 'error', feed: 'section/international', poison: [{ id: 'poison-pill', reason: expect.stringContaining('Invalid URL') }] });
    expectLogged(logs, 'stream records dead-lettered after retries', { level: 'error', streamArn: p.streamArn, batchSize: 1 });
    expect(logs.lines.every((l) => l.entry?.['level'] === 'error')).toBe(true);

    // Still poison: the replay fails and the letter stays.
    let replay = await fetch(`${p.url}/dead-letters/replay`, { method: 'POST' });
    expect(replay.status).toBe(409);
    expect(p.deadLetters.letters).toHaveLength(1);

    // An editor sends a corrected version; then the replay goes through and the queue empties.
    expect((await p.post(articleRecord({ id: 'poison-pill', publishedAt: at(5), updatedAt: at(6) }))).json.results[0].status).toBe('stored');
    replay = await fetch(`${p.url}/dead-letters/replay`, { method: 'POST' });
    expect(await replay.json()).toEqual({ replayed: 1, stillFailing: [] });
    expect(p.deadLetters.letters).toEqual([]);
    expect(await p.feedIds('international')).toEqual(['poison-pill', 'healthy-2', 'healthy-1']);
  });

  it('dead-letters a section S3 keeps refusing, without holding up the others; a replay after the outage converges', async () => {
    const logs = captureLogs();
    s3Outage.enable();
    await p.post([
      articleRecord({ id: 'science-during-outage', section: 'Science', publishedAt: at(10), updatedAt: at(10) }),
      articleRecord({ id: 'business-during-outage', section: 'Business', publishedAt: at(10), updatedAt: at(10) }),
    ]);
    await p.poller.settle();
    expect(await p.feedIds('business')).toEqual(['business-during-outage']);
    expect(p.deadLetters.letters.length).toBeGreaterThan(0);
    expectLogged(logs, 'regeneration failed', { feed: 'section/science', error: { name: 'ServiceUnavailable' } });
    expectLogged(logs, 'stream records dead-lettered after retries', { streamArn: p.streamArn });
    expect(logs.lines.filter((l) => l.entry?.['message'] === 'regeneration failed').every((l) => l.entry?.['feed'] === 'section/science')).toBe(true);
    s3Outage.disable();

    // As on AWS, the dead letter names the batch without carrying it: the replay reads it back from the stream.
    for (const letter of p.deadLetters.letters) delete letter.records;
    const response = await fetch(`${p.url}/dead-letters/replay`, { method: 'POST' });
    expect(((await response.json()) as { stillFailing: unknown[] }).stillFailing).toEqual([]);
    expect(await p.feedIds('science')).toEqual(['science-during-outage']);
  });
});
