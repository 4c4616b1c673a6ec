import { paginateScan, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AttributeValue as ImageValue, DynamoDBRecord } from 'aws-lambda';
import { ARTICLE_PK_PREFIX, KEY } from '../lambdas/core/storage/index.js';
import { ARTICLE_SK } from '../lambdas/core/storage/keys.js';
import type { RegenerationInvoker } from './replayDeadLetters.js';

export interface ReconcileReport {
  articles: number;
  batches: number;
  /** Articles whose regeneration failed (they stay as they were; run again once the cause is fixed). */
  failed: string[];
}

/** What the stream would have carried for the article's current state: a MODIFY with its item as NewImage. */
function currentStateRecord(item: Record<string, AttributeValue>, sequence: number, tableName: string): DynamoDBRecord {
  return {
    eventID: `reconcile-${sequence}`,
    eventName: 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    eventSourceARN: `reconcile:${tableName}`,
    dynamodb: {
      Keys: { [KEY.partition]: item[KEY.partition], [KEY.sort]: item[KEY.sort] } as Record<string, ImageValue>,
      NewImage: item as Record<string, ImageValue>,
      SequenceNumber: String(sequence),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

/**
 * Brings every feed's derived state (the RFC 5005 archive projection above all: each published
 * article holds its archive slot) in line with the article table, after stream records were lost
 * (DynamoDB Local restarted, a stream older than 24 hours). Each article item is handed to the
 * regeneration, locally its handler, on AWS the deployed function, as the stream record of its
 * current state: the regeneration's own code reconciles its archive slot and publishes the feed.
 * Idempotent: a second run changes nothing.
 */
export async function reconcileArchives(dynamo: DynamoDBClient, tableName: string, invoke: RegenerationInvoker, batchSize = 100): Promise<ReconcileReport> {
  const report: ReconcileReport = { articles: 0, batches: 0, failed: [] };
  let pending: DynamoDBRecord[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const records = pending;
    pending = [];
    report.batches += 1;
    const failed = new Set(((await invoke({ Records: records })) || { batchItemFailures: [] }).batchItemFailures.map((f) => f.itemIdentifier));
    for (const r of records) if (failed.has(r.dynamodb?.SequenceNumber ?? '')) report.failed.push(r.dynamodb?.Keys?.[KEY.partition]?.S?.slice(ARTICLE_PK_PREFIX.length) ?? '');
  };
  const pages = paginateScan(
    { client: dynamo },
    {
      TableName: tableName,
      FilterExpression: 'begins_with(#pk, :article) AND #sk = :sk',
      ExpressionAttributeNames: { '#pk': KEY.partition, '#sk': KEY.sort },
      ExpressionAttributeValues: { ':article': { S: ARTICLE_PK_PREFIX }, ':sk': { S: ARTICLE_SK } },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      report.articles += 1;
      pending.push(currentStateRecord(item, report.articles, tableName));
      if (pending.length >= batchSize) await flush();
    }
  }
  await flush();
  return report;
}
