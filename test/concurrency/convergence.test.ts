import { createHash } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regenerationFilterPatterns } from '../../lambdas/core/stream/index.js';
import { StreamPoller } from '../../local/streamPoller.js';
import { articleRecord, at } from '../helpers/factories.js';
import { expectServedFeedsToMatch, shuffled } from '../helpers/expectedFeeds.js';
import { injectFault } from '../helpers/faults.js';
import { localClients } from '../helpers/localAws.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';

const SECTIONS = ['International', 'Business', 'Science'];

/** DynamoDB spreads items over stream shards by partition key; two "shards" here, each with its own poller. */
const shardOf = (record: DynamoDBRecord) => createHash('md5').update(record.dynamodb?.Keys?.['pk']?.S ?? '').digest()[0]! % 2;
const onlyShard = (shard: number, handler: TestPublisher['regenerate']): TestPublisher['regenerate'] => async (event) => {
  const records = event.Records.filter((r) => shardOf(r) === shard);
  return records.length > 0 ? handler({ Records: records }) : { batchItemFailures: [] };
};
const SEED = 20_250_520;

/**
 * Hundreds of records across three sections, posted concurrently in shuffled order with
 * duplicates, older versions, moves and retractions, while two stream pollers (two shards, so two
 * concurrent Lambda invocations on different records) regenerate the same sections with S3 writes
 * randomly slowed down. Afterwards every feed must be byte-for-byte the rendering of the final state.
 */
describe('convergence under concurrency', () => {
  let p: TestPublisher;
  let second: StreamPoller;
  beforeAll(async () => {
    const clients = localClients();
    // Uneven S3 latency widens the window in which a slow, older render could land last.
    injectFault(clients.s3, { command: 'PutObjectCommand', delayMs: () => Math.floor(Math.random() * 40) });
    p = await startTestPublisher({ clients, poller: { batchingWindowMs: 15, batchSize: 25 }, wrapRegenerate: (handler) => onlyShard(0, handler) });
    second = new StreamPoller({
      streams: clients.streams,
      streamArn: p.streamArn,
      handler: onlyShard(1, p.regenerate),
      filters: regenerationFilterPatterns(p.config.sections.map((s) => s.slug)),
      batchingWindowMs: 5,
      batchSize: 10,
      pollIntervalMs: 5,
    });
    await second.start();
  });
  afterAll(async () => {
    await second?.stop();
    await p?.close();
  });

  it('ends with every feed equal to the rendering of the final table state', async () => {
    const records: Record<string, unknown>[] = [];
    for (let n = 0; n < 60; n++) {
      const id = `story-${n}`;
      const versions = 1 + (n % 5);
      for (let v = 0; v < versions; v++) {
        // Every third story moves section on its last version; every seventh is retracted by a record.
        const section = n % 3 === 0 && v === versions - 1 ? SECTIONS[(n + 1) % 3] : SECTIONS[n % 3];
        const status = n % 7 === 0 && v === versions - 1 && versions > 1 ? 'retracted' : 'published';
        records.push(articleRecord({ id, title: `Story ${n} v${v}`, section, status, publishedAt: at(n), updatedAt: at(n + v * 1000) }));
      }
    }
    const duplicates = records.filter((_, i) => i % 4 === 0);
    const all = shuffled([...records, ...duplicates], SEED);
    const retractedByDelete = ['story-1', 'story-2', 'story-10'];

    const chunks: Record<string, unknown>[][] = [];
    for (let i = 0; i < all.length; i += 1 + (i % 4)) chunks.push(all.slice(i, i + 1 + (i % 4)));
    const responses = await Promise.all(chunks.map((chunk) => p.post(chunk)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const statuses = responses.flatMap((r) => r.json.results.map((x: { status: string }) => x.status));
    expect(statuses).not.toContain('error');
    expect(statuses).toContain('ignored-older');
    expect(statuses).toContain('unchanged');
    await Promise.all(retractedByDelete.map((id) => p.retract(id)));

    await p.poller.settle();
    await second.settle();
    await p.poller.settle();

    await expectServedFeedsToMatch(p, records, retractedByDelete);
    expect(p.deadLetters.letters).toEqual([]);
    expect(second.stats.invocations).toBeGreaterThan(0);
  }, 120_000);
});
