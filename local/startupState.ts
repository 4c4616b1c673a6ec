import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BucketAlreadyOwnedByYou, CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CONTENT_FILE, contentMediaDocuments, ingestContentFiles } from '../lambdas/core/content/index.js';
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

/** Reads every content file of a folder and ingests them like any other batch; `media/...` references resolve against the feeds origin. */
export async function ingestContentDir(dir: string, deps: IngestDeps, feedsOrigin: string): Promise<{ file: string; result: IngestResult }[]> {
  const names = (await readdir(dir)).filter((f) => CONTENT_FILE.test(f)).sort();
  const files = await Promise.all(names.map(async (name) => ({ name, text: await readFile(join(dir, name), 'utf8') })));
  return ingestContentFiles(files, deps, { feedsOrigin });
}

/** Uploads the media that ship with content/ (content/media/** -> media/** in the bucket), as the deploy does. */
export async function publishContentMedia(s3: S3Client, bucket: string, dir: string): Promise<number> {
  const documents = await contentMediaDocuments(dir);
  await Promise.all(documents.map((d) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: d.path, Body: d.body, ContentType: d.contentType, CacheControl: 'public, max-age=86400' }))));
  return documents.length;
}
