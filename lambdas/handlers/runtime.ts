import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { loadPublisherConfigFromEnv } from '../core/config/index.js';
import { CloudFrontInvalidator, feedCacheControl, FeedStore, noInvalidation, SectionStateStore, SqsHubNotifier, type CoordinatedPublishingDeps } from '../core/publish/index.js';
import { BudgetedInvalidator, DynamoPathBudget } from '../core/publish/invalidationBudget.js';
import { ArchiveStore, ArticleStore } from '../core/storage/index.js';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV, requireEnv } from './environment.js';
import { log } from './log.js';

/** Longer than the regeneration function's timeout (the stack sets it from the timeout). */
const DEFAULT_LEASE_TTL_MS = 120_000;

/**
 * Publishing dependencies, built once per Lambda container from its environment (the local run
 * builds the same shapes itself). Ingest's are in ingestRuntime.ts, so that the regeneration
 * bundle carries neither the record validator nor the HTML sanitizer.
 */
export function publishingDepsFromEnv(env: NodeJS.ProcessEnv = process.env): CoordinatedPublishingDeps {
  const config = loadPublisherConfigFromEnv(env);
  const distributionId = env[ENV.distributionId];
  const dynamo = new DynamoDBClient({});
  const tableName = requireEnv(ENV.tableName, env);
  const websubQueueUrl = env[ENV.websubQueueUrl];
  return {
    config,
    store: new ArticleStore(dynamo, tableName),
    state: new SectionStateStore(dynamo, tableName),
    archive: new ArchiveStore(dynamo, tableName, config.archivePageSize),
    ...(websubQueueUrl && { hubs: new SqsHubNotifier(new SQSClient({}), websubQueueUrl) }),
    leaseTtlMs: Number(env[ENV.sectionLeaseTtlMs] ?? DEFAULT_LEASE_TTL_MS),
    maxWaitMs: DEFAULT_LEASE_TTL_MS,
    feeds: new FeedStore(new S3Client({}), requireEnv(ENV.feedBucket, env), feedCacheControl(config.feedMaxAgeSeconds)),
    cdn: distributionId
      ? new BudgetedInvalidator(
          new CloudFrontInvalidator(new CloudFrontClient({}), distributionId),
          new DynamoPathBudget(dynamo, tableName, Number(requireEnv(ENV.invalidationPathBudget, env))),
          { onOverBudget: (paths) => log('warn', 'invalidation budget spent this month; relying on the edge lifetime', { paths }) },
        )
      : noInvalidation,
    feedBaseUrl: requireEnv(ENV.feedBaseUrl, env),
  };
}

/** Defers building dependencies to the first invocation, so importing a handler has no side effects. */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}
