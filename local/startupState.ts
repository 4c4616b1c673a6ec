import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BucketAlreadyOwnedByYou, CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CONTENT_FILE, ingestContentFiles } from '../lambdas/core/content/index.js';
import type { IngestDeps, IngestResult } from '../lambdas/core/ingest/index.js';
import { createArticleTable } from '../lambdas/adapters/aws/articleTable.js';

/** The article table (with its stream) as the stack creates it; returns the stream's ARN. */
export async function ensureTable(dynamo: DynamoDBClient, tableName: string): Promise<string> {
  try {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.LatestStreamArn) return Table.LatestStreamArn;
    throw new Error(`Table ${tableName} exists without a stream`);
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return createArticleTable(dynamo, tableName);
    throw err;
  }
}

export async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (err) {
    if (!(err instanceof BucketAlreadyOwnedByYou) && (err as { name?: string }).name !== 'BucketAlreadyExists') throw err;
  }
}

/** Reads every content file of a folder and ingests them like any other batch. */
export async function ingestContentDir(dir: string, deps: IngestDeps): Promise<{ file: string; result: IngestResult }[]> {
  const names = (await readdir(dir)).filter((f) => CONTENT_FILE.test(f)).sort();
  const files = await Promise.all(names.map(async (name) => ({ name, text: await readFile(join(dir, name), 'utf8') })));
  return ingestContentFiles(files, deps);
}
