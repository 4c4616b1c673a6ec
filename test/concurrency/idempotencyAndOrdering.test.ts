import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleRecord, at } from '../helpers/factories.js';
import { shuffled } from '../helpers/expectedFeeds.js';
import { countCalls, recordUploads } from '../helpers/faults.js';
import { localClients } from '../helpers/localAws.js';
import { countingCdn } from '../helpers/publishingDeps.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';

describe('idempotency, ordering and coalescing', () => {
  let p: TestPublisher;
  const clients = localClients();
  const uploads = recordUploads(clients.s3);
  // One read of the section's newest entries per regeneration of the Business feed.
  const sectionReads = countCalls(clients.dynamo, 'QueryCommand', (input) => [input.ExpressionAttributeValues?.[':pk'], input.ExpressionAttributeValues?.[':pk']?.S].includes('SECTION#business'));
  const cdn = countingCdn();
  const batches: DynamoDBStreamEvent[] = [];
  beforeAll(async () => {
    p = await startTestPublisher({
      clients,
      cdn,
      poller: { batchingWindowMs: 100, batchSize: 1000 },
      wrapRegenerate: (handler) => async (event) => {
        batches.push(event);
        return handler(event);
      },
    });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('a record posted twice changes nothing the second time: no write, no upload, no invalidation', async () => {
    const record = articleRecord({ id: 'twice', publishedAt: at(0), updatedAt: at(0) });
    await p.post(record);
    const before = { uploads: uploads.length, paths: cdn.paths.length, records: p.poller.stats.records };
    expect((await p.post(record)).json.results[0].status).toBe('unchanged');
    expect({ uploads: uploads.length, paths: cdn.paths.length, records: p.poller.stats.records }).toEqual(before);
  });

  it('a stream batch delivered twice changes nothing the second time', async () => {
    await p.post(articleRecord({ id: 'redelivered', publishedAt: at(1), updatedAt: at(1) }));
    const last = batches.at(-1)!;
    const before = { uploads: uploads.length, paths: cdn.paths.length };
    expect(await p.regenerate(last)).toEqual({ batchItemFailures: [] });
    expect(await p.regenerate(last)).toEqual({ batchItemFailures: [] });
    expect({ uploads: uploads.length, paths: cdn.paths.length }).toEqual(before);
  });

  it('versions of one article posted concurrently in any order end at the newest; conflicts are refused with a reason', async () => {
    const versions = Array.from({ length: 20 }, (_, v) => articleRecord({ id: 'raced', title: `Raced v${v}`, publishedAt: at(10), updatedAt: at(10 + v) }));
    const conflict = { ...versions[19]!, title: 'Same time, other text' };
    const responses = await Promise.all(shuffled([...versions, conflict], 7).map((r) => p.post(r)));
    const results = responses.map((r) => r.json.results[0]);
    const stored = (await p.ingestDeps.store.get('raced'))!.article;
    expect([`Raced v19`, 'Same time, other text']).toContain(stored.title);
    const conflicts = results.filter((r) => r.status === 'error');
    expect(conflicts).toHaveLength(1); // whichever of the two same-time versions came second
    expect(conflicts[0]).toMatchObject({ error: 'conflict', errors: [{ field: 'updatedAt', message: expect.stringContaining('conflict') }] });
    const { json } = await p.feeds('international');
    expect(json.items.find((i: { id: string }) => i.id.endsWith('/raced')).title).toBe(stored.title);
  });

  it('a burst of 200 changes to one section coalesces into far fewer regenerations, never uploading unchanged bytes', async () => {
    const readsBefore = sectionReads.count;
    const uploadsBefore = uploads.length;
    const burst = Array.from({ length: 200 }, (_, i) => articleRecord({ id: `burst-${i}`, section: 'Business', publishedAt: at(100 + i), updatedAt: at(100 + i) }));
    await Promise.all(burst.map((r) => p.post(r)));
    await p.poller.settle();
    const regenerations = sectionReads.count - readsBefore;
    expect(regenerations).toBeGreaterThan(0);
    expect(regenerations).toBeLessThan(40);
    const burstFeedUploads = uploads.slice(uploadsBefore).filter((u) => /^feeds\/business\/(rss\.xml|atom\.xml|feed\.json)$/.test(u.key));
    expect(burstFeedUploads.length).toBeLessThanOrEqual(3 * regenerations);
    // Consecutive uploads of one key always carry different bytes.
    const lastHash = new Map<string, string>();
    for (const u of uploads) {
      expect(lastHash.get(u.key)).not.toBe(u.hash);
      lastHash.set(u.key, u.hash);
    }
  });
});
