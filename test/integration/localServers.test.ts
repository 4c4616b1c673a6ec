import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand, ListTablesCommand, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { KEY } from '../../lambdas/core/storage/keys.js';
import { startDynamoDbLocal } from '../../local/dynamoDbLocal.js';
import { localAwsClients } from '../../local/localAws.js';
import { startS3rver } from '../../local/s3rver.js';
import { createTestBucket, createTestTable, localClients, readStreamRecords, uniqueName, type LocalClients } from '../helpers/localAws.js';

/** For the half of localAwsClients a test does not use. */
const UNUSED_ENDPOINT = 'http://127.0.0.1:9';

let clients: LocalClients;

beforeAll(() => {
  clients = localClients();
});

afterAll(() => {
  clients.dynamo.destroy();
  clients.streams.destroy();
  clients.s3.destroy();
});

function key(partition: string, sort: string) {
  return { [KEY.partition]: { S: partition }, [KEY.sort]: { S: sort } };
}

describe('uniqueName', () => {
  it('gives distinct names valid for DynamoDB tables and S3 buckets', () => {
    const names = new Set<string>();
    for (const prefix of ['articles', 'Feed Bucket!', '', '--x--', 'a'.repeat(80), 'sthree-thing', 'xn--abc']) {
      for (let i = 0; i < 50; i++) {
        const name = uniqueName(prefix);
        expect(name).toMatch(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/);
        expect(name).not.toMatch(/--|^xn-|^sthree/);
        names.add(name);
      }
    }
    expect(names.size).toBe(7 * 50);
  });
});

describe('DynamoDB Local', () => {
  it('emits stream records for a table made by createArticleTable, with old and new images', async () => {
    const { dynamo, streams } = clients;
    const { tableName, streamArn } = await createTestTable(dynamo);

    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    expect(StreamDescription?.StreamStatus).toBe('ENABLED');
    expect(StreamDescription?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
    expect(StreamDescription?.Shards?.length).toBeGreaterThanOrEqual(1);

    await dynamo.send(
      new PutItemCommand({ TableName: tableName, Item: { ...key('section#world', 'article#1'), title: { S: 'First' } } }),
    );
    await dynamo.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: key('section#world', 'article#1'),
        UpdateExpression: 'SET title = :t',
        ExpressionAttributeValues: { ':t': { S: 'Second' } },
      }),
    );

    const records = await readStreamRecords(streams, streamArn, { minRecords: 2 });
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY']);
    const [insert, modify] = records;
    expect(insert?.dynamodb?.Keys).toEqual(key('section#world', 'article#1'));
    expect(insert?.dynamodb?.NewImage?.title).toEqual({ S: 'First' });
    expect(insert?.dynamodb?.OldImage).toBeUndefined();
    expect(modify?.dynamodb?.OldImage?.title).toEqual({ S: 'First' });
    expect(modify?.dynamodb?.NewImage?.title).toEqual({ S: 'Second' });
    expect(BigInt(modify!.dynamodb!.SequenceNumber!)).toBeGreaterThan(BigInt(insert!.dynamodb!.SequenceNumber!));
  });

  it('supports TransactWriteItems, including a failing condition that cancels the whole transaction', async () => {
    const { dynamo, streams } = clients;
    const { tableName, streamArn } = await createTestTable(dynamo);

    await dynamo.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: tableName, Item: { ...key('a', '1'), n: { N: '1' } } } },
          {
            Put: {
              TableName: tableName,
              Item: { ...key('a', '2'), n: { N: '2' } },
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': KEY.partition },
            },
          },
        ],
      }),
    );
    const got = await dynamo.send(new GetItemCommand({ TableName: tableName, Key: key('a', '2'), ConsistentRead: true }));
    expect(got.Item?.n).toEqual({ N: '2' });

    const failing = dynamo.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: tableName, Item: { ...key('a', '3'), n: { N: '3' } } } },
          {
            Put: {
              TableName: tableName,
              Item: { ...key('a', '2'), n: { N: '99' } },
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': KEY.partition },
            },
          },
        ],
      }),
    );
    await expect(failing).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    const notWritten = await dynamo.send(new GetItemCommand({ TableName: tableName, Key: key('a', '3'), ConsistentRead: true }));
    expect(notWritten.Item).toBeUndefined();

    // Each item of the successful transaction is its own stream record; the cancelled one left none.
    const records = await readStreamRecords(streams, streamArn, { minRecords: 2, timeoutMs: 1_000 });
    expect(records.map((r) => [r.eventName, r.dynamodb?.Keys?.[KEY.sort]?.S])).toEqual([
      ['INSERT', '1'],
      ['INSERT', '2'],
    ]);
  });

  it('stop() kills the java process and frees the port', async () => {
    const server = await startDynamoDbLocal();
    const port = new URL(server.endpoint).port;
    const javaOnPort = () =>
      execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => !line.trim().startsWith('Z') && /java/.test(line) && line.includes(`-port ${port}`));
    expect(javaOnPort()).toHaveLength(1);

    const { dynamo } = localAwsClients({ dynamoEndpoint: server.endpoint, s3Endpoint: UNUSED_ENDPOINT });
    await expect(dynamo.send(new ListTablesCommand({}))).resolves.toBeDefined();

    await server.stop();
    expect(javaOnPort()).toEqual([]);
    await expect(dynamo.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    dynamo.destroy();
    await server.stop(); // idempotent
  });
});

describe('s3rver', () => {
  it('stores content type, cache control and metadata; answers a matching If-None-Match with 304', async () => {
    const { s3 } = clients;
    const Bucket = await createTestBucket(s3);
    const Key = 'world/rss.xml';
    const body = '<?xml version="1.0"?><rss version="2.0"><channel><title>Wörld</title></channel></rss>';

    const put = await s3.send(
      new PutObjectCommand({
        Bucket,
        Key,
        Body: body,
        ContentType: 'application/rss+xml; charset=utf-8',
        CacheControl: 'public, max-age=300',
        Metadata: { 'content-hash': 'abc123' },
      }),
    );
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);

    const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
    expect(head.ContentType).toBe('application/rss+xml; charset=utf-8');
    expect(head.CacheControl).toBe('public, max-age=300');
    expect(head.Metadata).toEqual({ 'content-hash': 'abc123' });
    expect(head.ETag).toBe(put.ETag);
    expect(head.ContentLength).toBe(Buffer.byteLength(body));

    const get = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(await get.Body?.transformToString()).toBe(body);

    // Not modified: the SDK has no modelled error for 304, it throws a generic S3ServiceException
    // named 'Unknown' ($fault 'client', $metadata.httpStatusCode 304).
    const notModified = await s3.send(new GetObjectCommand({ Bucket, Key, IfNoneMatch: head.ETag })).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(notModified).toBeInstanceOf(S3ServiceException);
    expect(notModified).toMatchObject({ name: 'Unknown', $metadata: { httpStatusCode: 304 } });

    const changed = await s3.send(new GetObjectCommand({ Bucket, Key, IfNoneMatch: '"0123456789abcdef0123456789abcdef"' }));
    expect(await changed.Body?.transformToString()).toBe(body);

    await s3.send(new DeleteObjectCommand({ Bucket, Key }));
    await expect(s3.send(new HeadObjectCommand({ Bucket, Key }))).rejects.toMatchObject({
      name: 'NotFound',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('stores stream bodies verbatim (no aws-chunked framing leaks into the object)', async () => {
    const { s3 } = clients;
    const Bucket = await createTestBucket(s3);
    await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'streamed.json',
        Body: Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]),
        ContentLength: 7,
        ContentType: 'application/feed+json',
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'streamed.json' }));
    expect(await got.Body?.transformToString()).toBe('{"a":1}');
  });

  it('a temporary s3rver removes its directory and stops listening on stop()', async () => {
    const tempDirs = () => new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('s3rver-')));
    const before = tempDirs();
    const server = await startS3rver();
    const created = [...tempDirs()].filter((name) => !before.has(name));
    expect(created).toHaveLength(1);

    const { s3 } = localAwsClients({ dynamoEndpoint: UNUSED_ENDPOINT, s3Endpoint: server.endpoint });
    await createTestBucket(s3, 'tmp');
    s3.destroy();

    await server.stop();
    expect(tempDirs().has(created[0]!)).toBe(false);
    await expect(fetch(server.endpoint)).rejects.toThrow();
  });
});
