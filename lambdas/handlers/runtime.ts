import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { EventBridgePublicationScheduler } from '../adapters/aws/eventBridgePublicationScheduler.js';
import { createPublishingDeps } from '../adapters/aws/publishingDeps.js';
import { SqsHubNotifier } from '../adapters/aws/sqsHubNotifier.js';
import { SqsPublicationDelayer } from '../adapters/aws/sqsPublicationDelayer.js';
// The config module itself, not its index: the index also carries the zod schema (synth-time validation).
import { loadPublisherConfigFromEnv } from '../core/config/fromEnv.js';
import { CloudFrontInvalidator } from '../adapters/aws/cloudFrontInvalidator.js';
import { DynamoPathBudget } from '../adapters/aws/dynamoPathBudget.js';
import { BudgetedInvalidator, type CoordinatedPublishingDeps } from '../core/publish/index.js';
import { ENV, requireEnv } from './environment.js';
import { lazy } from './lazy.js';
import { log } from './log.js';

/** Longer than the regeneration function's timeout (the stack sets it from the timeout). */
const DEFAULT_LEASE_TTL_MS = 120_000;

/**
 * Publishing dependencies, built once per Lambda container from its environment, by the same
 * constructor the local run, tests and bench use. Ingest's are in ingestRuntime.ts, so that the
 * regeneration bundle carries neither the record validator nor the HTML sanitizer.
 */
export function publishingDepsFromEnv(env: NodeJS.ProcessEnv = process.env, self: { functionArn?: () => string | undefined } = {}): CoordinatedPublishingDeps {
  const config = loadPublisherConfigFromEnv(env);
  const distributionId = env[ENV.distributionId];
  const websubQueueUrl = env[ENV.websubQueueUrl];
  const dynamo = new DynamoDBClient({});
  const tableName = requireEnv(ENV.tableName, env);
  const scheduleGroup = env[ENV.publicationScheduleGroup];
  const dueQueueUrl = env[ENV.publicationDueQueueUrl];
  const sqs = lazy(() => new SQSClient({}));
  return createPublishingDeps(
    { dynamo, s3: new S3Client({}) },
    {
      config,
      tableName,
      bucket: requireEnv(ENV.feedBucket, env),
      feedBaseUrl: requireEnv(ENV.feedBaseUrl, env),
      leaseTtlMs: Number(env[ENV.sectionLeaseTtlMs] ?? DEFAULT_LEASE_TTL_MS),
      maxWaitMs: DEFAULT_LEASE_TTL_MS,
      // Paid invalidation is opt-in, one wildcard per changed feed folder, never above the month's path budget.
      ...(distributionId && {
        cdn: new BudgetedInvalidator(
          new CloudFrontInvalidator(dynamo.config.credentials, distributionId),
          new DynamoPathBudget(dynamo, tableName, Number(requireEnv(ENV.invalidationPathBudget, env))),
          { onOverBudget: (paths) => log('warn', 'invalidation budget spent this month; relying on the edge lifetime', { paths }) },
        ),
      }),
      ...(websubQueueUrl && { hubs: new SqsHubNotifier(sqs(), websubQueueUrl) }),
      // Scheduled articles' timers; the client is made on the first schedule change, not per container.
      ...(scheduleGroup && {
        scheduler: new EventBridgePublicationScheduler(
          lazy(() => new SchedulerClient({})),
          {
            groupName: scheduleGroup,
            roleArn: requireEnv(ENV.publicationScheduleRoleArn, env),
            deadLetterArn: requireEnv(ENV.publicationScheduleDeadLetterArn, env),
            targetArn: self.functionArn ?? (() => undefined),
          },
        ),
      }),
      // Early publications go back on the publication-due queue with a delay: no invocation waits for an instant.
      ...(dueQueueUrl && { delayer: new SqsPublicationDelayer(sqs, dueQueueUrl) }),
    },
  );
}

