import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { inject } from 'vitest';
import { createArticleTable } from '../../lambdas/adapters/aws/articleTable.js';
import { S3ObjectReader } from '../../lambdas/adapters/aws/s3ObjectReader.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localAwsClients } from '../../local/localAws.js';

export type LocalClients = ReturnType<typeof localAwsClients>;

/**
 * Fresh SDK clients for the DynamoDB Local / s3rver started by test/setup/globalSetup.ts.
 * (Each call creates new clients; `destroy()` them if you create many.)
 */
export function localClients(): LocalClients {
  return localAwsClients({ dynamoEndpoint: inject('dynamoEndpoint'), s3Endpoint: inject('s3Endpoint') });
}

let counter = 0;

/**
 * A name unique to this run, valid both as a DynamoDB table name and an S3 bucket name:
 * lower-case letters, digits and hyphens, starting and ending with a letter or digit, at most
 * 40 characters. E.g. `uniqueName('articles')` → `articles-mfx1k2ab-39f2k1q`.
 */
export function uniqueName(prefix: string): string {
  let clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 18)
    .replace(/-+$/, '');
  if (clean === '') clean = 't';
  // Prefixes S3 reserves for itself.
  if (/^(xn-|sthree|amzn-s3-demo)/.test(clean)) clean = `t-${clean}`.slice(0, 18).replace(/-+$/, '');
  counter = (counter + 1) % 1296;
  const time = Date.now().toString(36); // 8 chars until the year 2059
  const seq = counter.toString(36); // 1–2 chars
  const random = BigInt(`0x${randomBytes(4).toString('hex')}`).toString(36).padStart(7, '0').slice(-6);
  return `${clean}-${time}-${seq}${random}`.slice(0, 40);
}

/** Creates a uniquely named bucket in s3rver and returns its name. */
export async function createTestBucket(s3: S3Client, prefix = 'test'): Promise<string> {
  const bucket = uniqueName(prefix);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/** Creates a uniquely named article table (via `createArticleTable`) with its stream. */
export async function createTestTable(
  dynamo: DynamoDBClient,
  prefix = 'articles',
): Promise<{ tableName: string; streamArn: string }> {
  const tableName = uniqueName(prefix);
  const streamArn = await createArticleTable(dynamo, tableName);
  return { tableName, streamArn };
}

/**
 * Reads a table stream from TRIM_HORIZON (all shards) until at least `minRecords` records were
 * seen or `timeoutMs` passed; returns the records in shard/sequence order.
 */
export async function readStreamRecords(
  streams: DynamoDBStreamsClient,
  streamArn: string,
  options: { minRecords?: number; timeoutMs?: number } = {},
): Promise<StreamRecord[]> {
  const minRecords = options.minRecords ?? 1;
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const iterators = new Map<string, string | undefined>();
  for (const shard of StreamDescription?.Shards ?? []) {
    if (!shard.ShardId) continue;
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    iterators.set(shard.ShardId, ShardIterator);
  }
  const records: StreamRecord[] = [];
  for (;;) {
    for (const [shardId, iterator] of iterators) {
      if (!iterator) continue;
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(page.Records ?? []));
      iterators.set(shardId, page.NextShardIterator);
    }
    const open = [...iterators.values()].some((it) => it !== undefined);
    if (records.length >= minRecords || !open || Date.now() > deadline) return records;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The content inbox's signed S3 reader (GetObject, HeadObject) on the s3rver of the test run. */
export function localObjectReader(credentials: { accessKeyId: string; secretAccessKey: string } = LOCAL_CREDENTIALS): S3ObjectReader {
  return new S3ObjectReader({ region: LOCAL_REGION, credentials, endpoint: inject('s3Endpoint') });
}
