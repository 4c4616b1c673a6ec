import { GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoArticleRepository } from '../../lambdas/adapters/aws/dynamoArticleRepository.js';
import type { Article } from '../../lambdas/core/article/types.js';
import { ArticleValidator } from '../../lambdas/core/article/index.js';
import { sectionPk } from '../../lambdas/core/storage/index.js';
import { articleChangeOf } from '../../lambdas/handlers/streamRecords.js';
import { articleRecord, testConfig } from '../helpers/factories.js';
import { createTestTable, localClients, readStreamRecords } from '../helpers/localAws.js';

/** Articles are kept gzip-compressed in their items (DynamoDB bills by item size); items of the older form still read. */
describe('stored article documents', () => {
  const { dynamo, streams } = localClients();
  let table: { tableName: string; streamArn: string };
  let store: DynamoArticleRepository;
  const validator = new ArticleValidator(testConfig());
  const article = (overrides: Record<string, unknown>): Article => {
    const result = validator.parse(articleRecord(overrides));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.article;
  };
  beforeAll(async () => {
    table = await createTestTable(dynamo, 'docs');
    store = new DynamoArticleRepository(dynamo, table.tableName);
  });

  it('writes the article item and its entries with the compressed document only, smaller than its JSON', async () => {
    const a = article({ id: 'packed' });
    expect(await store.put(a)).toBe('stored');
    const { Item } = await dynamo.send(new GetItemCommand({ TableName: table.tableName, Key: { pk: { S: 'ARTICLE#packed' }, sk: { S: 'ARTICLE' } }, ConsistentRead: true }));
    expect(Item?.['doc']).toBeUndefined();
    expect(Item?.['docz']?.B?.byteLength).toBeLessThan(JSON.stringify(a).length);
    const { Items = [] } = await dynamo.send(new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: sectionPk(a.sectionSlug) } }, ConsistentRead: true }));
    expect(Items.map((i) => [i['id']?.S, i['doc'], i['docz']?.B !== undefined])).toEqual([['packed', undefined, true]]);
    expect((await store.get('packed'))?.article).toEqual(a);
    expect((await store.readEntries(sectionPk(a.sectionSlug), 10)).articles).toEqual([a]);
  });

  it('reads items written with the JSON document as a string (before compression)', async () => {
    const a = article({ id: 'legacy', section: 'Science' });
    const doc = { S: JSON.stringify(a) };
    await dynamo.send(new PutItemCommand({ TableName: table.tableName, Item: { pk: { S: 'ARTICLE#legacy' }, sk: { S: 'ARTICLE' }, id: { S: 'legacy' }, updatedAtMs: { N: String(Date.parse(a.updatedAt)) }, contentHash: { S: 'h' }, doc } }));
    await dynamo.send(new PutItemCommand({ TableName: table.tableName, Item: { pk: { S: sectionPk(a.sectionSlug) }, sk: { S: `000001748000000#legacy` }, id: { S: 'legacy' }, doc } }));
    expect((await store.get('legacy'))?.article).toEqual(a);
    expect((await store.readEntries(sectionPk(a.sectionSlug), 10)).articles).toEqual([a]);
  });

  it('stream images carry what the news sitemap lists, whatever form the document takes (bytes from the Streams client, base64 from Lambda)', async () => {
    const records = await readStreamRecords(streams, table.streamArn, { minRecords: 1 });
    const record = records.find((r) => r.dynamodb?.Keys?.['pk']?.S === 'ARTICLE#packed') as unknown as DynamoDBRecord;
    expect(articleChangeOf(record)?.new?.newsListing).toContain('https://news.test.example/stories/packed');
    const bytes = (record.dynamodb!.NewImage!['docz'] as unknown as { B: Uint8Array }).B;
    const lambdaShaped = { ...record, dynamodb: { ...record.dynamodb, NewImage: { ...record.dynamodb!.NewImage, docz: { B: Buffer.from(bytes).toString('base64') } } } } as DynamoDBRecord;
    expect(articleChangeOf(lambdaShaped)?.new?.newsListing).toBe(articleChangeOf(record)?.new?.newsListing);
  });
});
