import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { articleRepository } from '../adapters/aws/dynamoArticleRepository.js';
import { loadPublisherConfigFromEnv } from '../core/config/fromEnv.js';
import { backfillFeeds, type BackfillReport } from '../core/ingest/index.js';
import { ENV, requireEnv } from './environment.js';
import { log } from './log.js';

/**
 * Run by the stack's Trigger after each deploy whose function (hence publisher configuration)
 * changed: rewrites the feed entries of stored articles written under other membership rules, so a
 * feed that came into being (a new tag or section in cdk.json, automatic feeds turned on) is filled
 * at once; the regeneration function publishes what the rewrites touched, from the stream.
 * Idempotent: safe to invoke again by hand (`aws lambda invoke`).
 */
export async function handler(): Promise<BackfillReport> {
  const config = loadPublisherConfigFromEnv();
  const report = await backfillFeeds(articleRepository(new DynamoDBClient({}), requireEnv(ENV.tableName), config));
  log('info', 'feeds backfilled', { ...report });
  return report;
}
