/**
 * Fast table seeding with BatchWriteItem, in exactly the items `ArticleStore` writes. The items are
 * not re-implemented here: each article goes through a real `ArticleStore.put` on a capturing
 * client that answers "nothing stored yet" to its read and hands back the marshalled items of its
 * TransactWriteItems instead of sending them. Whatever the store writes today (article item,
 * section and tag entries, attribute types), the seeder writes the same.
 */
import { BatchWriteItemCommand, DynamoDBClient, type AttributeValue, type TransactWriteItem, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { Article } from '../../lambdas/core/article/index.js';
import { DynamoArticleRepository, type DynamoArticleRepositoryOptions } from '../../lambdas/adapters/aws/dynamoArticleRepository.js';

type Item = Record<string, AttributeValue>;

/** The marshalled items `ArticleStore.put` writes for each (new) article, in order. */
export async function storeItems(articles: readonly Article[], options: DynamoArticleRepositoryOptions = {}): Promise<Item[]> {
  const captured: Item[] = [];
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'capture', secretAccessKey: 'capture' } });
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      const name = context.commandName;
      if (name === 'GetItemCommand') return { output: { $metadata: {} }, response: {} };
      if (name === 'TransactWriteItemsCommand') {
        for (const item of (args.input as { TransactItems: TransactWriteItem[] }).TransactItems) {
          if (item.Put?.Item) captured.push(item.Put.Item);
          else throw new Error(`seed capture: ArticleStore wrote a ${Object.keys(item).join('/')} for a new article; the seeder only knows Puts`);
        }
        return { output: { $metadata: {} }, response: {} };
      }
      throw new Error(`seed capture: ArticleStore.put sent ${name}; the seeder knows GetItem and TransactWriteItems`);
    },
    { step: 'build', name: 'benchCaptureStoreItems' },
  );
  const store = new DynamoArticleRepository(client, 'capture', options);
  try {
    for (const article of articles) {
      const outcome = await store.put(article);
      if (outcome !== 'stored') throw new Error(`seed capture: ${article.id} → ${outcome}`);
    }
  } finally {
    client.destroy();
  }
  return captured;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface BatchWriteStats {
  items: number;
  requests: number;
  unprocessedRetries: number;
  /** Time of the BatchWriteItem calls only (items are prepared before). */
  ms: number;
}

/** Writes items with BatchWriteItem, 25 per request, `concurrency` requests in flight, retrying UnprocessedItems. */
export async function batchWriteItems(dynamo: DynamoDBClient, tableName: string, items: readonly Item[], concurrency = 8): Promise<BatchWriteStats> {
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })));
  const stats: BatchWriteStats = { items: items.length, requests: 0, unprocessedRetries: 0, ms: 0 };
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      let pending: WriteRequest[] = chunks[next++]!;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 10) throw new Error(`BatchWriteItem: ${pending.length} items still unprocessed after ${attempt} attempts`);
        if (attempt > 0) {
          stats.unprocessedRetries++;
          await pause(Math.min(1000, 20 * 2 ** attempt));
        }
        stats.requests++;
        const out = await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
        pending = out.UnprocessedItems?.[tableName] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  stats.ms = performance.now() - started;
  return stats;
}

/** Seeds articles as stored versions (ArticleStore's items) with parallel BatchWriteItem. */
export async function seedArticles(
  dynamo: DynamoDBClient,
  tableName: string,
  articles: readonly Article[],
  options: { concurrency?: number; store?: DynamoArticleRepositoryOptions } = {},
): Promise<BatchWriteStats> {
  return batchWriteItems(dynamo, tableName, await storeItems(articles, options.store), options.concurrency ?? 8);
}
