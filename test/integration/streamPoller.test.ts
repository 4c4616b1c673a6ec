import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { ArticleValidator } from '../../lambdas/core/article/index.js';
import { createArticleTable } from '../../lambdas/adapters/aws/articleTable.js';
import { DynamoArticleRepository } from '../../lambdas/adapters/aws/dynamoArticleRepository.js';
import { regenerationFilterPatterns } from '../../lambdas/core/stream/index.js';
import type { DeadLetter } from '../../lambdas/core/contracts/index.js';
import { StreamPoller } from '../../local/streamPoller.js';
import { articleRecord, testConfig } from '../helpers/factories.js';
import { localClients, uniqueName } from '../helpers/localAws.js';

const config = testConfig();
const validator = new ArticleValidator(config);
const idOf = (r: DynamoDBRecord) => r.dynamodb?.NewImage?.['id']?.S ?? '?';

/** The local stand-in for Lambda's event source mapping, on DynamoDB Local's real stream. */
describe('StreamPoller', () => {
  const clients = localClients();
  let poller: StreamPoller | undefined;
  afterEach(async () => {
    await poller?.stop();
  });

  async function setUp(handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>, extra: { batchingWindowMs?: number } = {}) {
    const table = uniqueName('poller');
    const streamArn = await createArticleTable(clients.dynamo, table);
    const store = new DynamoArticleRepository(clients.dynamo, table);
    const deadLetters: DeadLetter[] = [];
    poller = new StreamPoller({
      streams: clients.streams,
      streamArn,
      handler,
      filters: regenerationFilterPatterns(['international', 'business']),
      batchSize: 100,
      batchingWindowMs: extra.batchingWindowMs ?? 200,
      maxRetries: 2,
      retryDelayMs: 1,
      pollIntervalMs: 10,
      onDeadLetter: (letter) => void deadLetters.push(letter),
    });
    await poller.start();
    const write = async (id: string, section = 'International') => {
      const parsed = validator.parse(articleRecord({ id, section }));
      if (!parsed.ok) throw new Error('bad fixture');
      await store.put(parsed.article);
    };
    return { write, deadLetters };
  }

  it('batches a burst into few invocations and drops records the filters reject', async () => {
    const batches: string[][] = [];
    const { write } = await setUp(async (event) => void batches.push(event.Records.map(idOf)));
    await Promise.all(Array.from({ length: 20 }, (_, i) => write(`burst-${i}`)));
    await write('sports-story', 'Science');
    await poller!.settle();
    const delivered = batches.flat();
    expect(delivered.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `burst-${i}`).sort());
    expect(batches.length).toBeLessThanOrEqual(3);
    expect(poller!.stats.filteredOut).toBeGreaterThan(0); // Science and the feed-entry items
  });

  it('retries from the first reported failure only, then dead-letters a poison record after bisecting', async () => {
    const deliveries = new Map<string, number>();
    const { write, deadLetters } = await setUp(async (event) => {
      for (const r of event.Records) deliveries.set(idOf(r), (deliveries.get(idOf(r)) ?? 0) + 1);
      const poison = event.Records.find((r) => idOf(r) === 'poison');
      return { batchItemFailures: poison ? [{ itemIdentifier: poison.dynamodb!.SequenceNumber! }] : [] };
    });
    for (const id of ['before-1', 'before-2', 'poison', 'after-1']) await write(id);
    await poller!.settle();
    expect(deliveries.get('before-1')).toBe(1);
    expect(deliveries.get('before-2')).toBe(1);
    expect(deliveries.get('after-1')).toBeGreaterThanOrEqual(1);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]!.records!.map(idOf)).toEqual(['poison']);
    expect(deadLetters[0]).toMatchObject({ error: 'handler reported batch item failures', requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 } });
    const sequence = deadLetters[0]!.records![0]!.dynamodb!.SequenceNumber;
    expect(deadLetters[0]!.DDBStreamBatchInfo).toMatchObject({ startSequenceNumber: sequence, endSequenceNumber: sequence, batchSize: 1 });
  });

  it('bisects a batch whose handler throws, so good records still get through', async () => {
    const handled: string[] = [];
    const { write, deadLetters } = await setUp(async (event) => {
      if (event.Records.some((r) => idOf(r) === 'bomb')) throw new Error('boom');
      handled.push(...event.Records.map(idOf));
    });
    for (const id of ['a', 'b', 'bomb', 'c', 'd']) await write(id);
    await poller!.settle();
    expect(handled.sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(deadLetters.flatMap((l) => l.records!.map(idOf))).toEqual(['bomb']);
    expect(deadLetters[0]!.error).toBe('boom');
  });

  it('settles only after records written before the call are handled', async () => {
    const handled: string[] = [];
    const { write } = await setUp(async (event) => {
      await new Promise((r) => setTimeout(r, 50));
      handled.push(...event.Records.map(idOf));
    }, { batchingWindowMs: 100 });
    await write('slow-1');
    await poller!.settle();
    expect(handled).toContain('slow-1');
  });
});
