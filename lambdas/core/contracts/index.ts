/**
 * Contracts shared by the Lambda handlers, the CDK stack, the operator commands and the local run:
 * environment variable names, limits and prefixes, and the dead-letter message shape. Constants
 * and types only, so any layer may import them without pulling in another layer's code.
 */
import type { DynamoDBRecord } from 'aws-lambda';

/** Environment variables the handlers read; the stack sets them, the local run sets them too. */
export const ENV = {
  /** DynamoDB table of articles. */
  tableName: 'ARTICLE_TABLE',
  /** S3 bucket the feeds are written to. */
  feedBucket: 'FEED_BUCKET',
  /** Public origin feeds are served from (CloudFront domain, custom domain, or the local server). */
  feedBaseUrl: 'FEED_BASE_URL',
  /** CloudFront distribution to invalidate after a publish (opt-in); unset means rely on the edge lifetime alone. */
  distributionId: 'DISTRIBUTION_ID',
  /** Monthly budget of paid invalidation paths (set only with deploy.cdnInvalidation.enabled). */
  invalidationPathBudget: 'INVALIDATION_PATH_BUDGET',
  /** Lease of a section's regeneration, in ms; must exceed the regeneration function's timeout. */
  sectionLeaseTtlMs: 'SECTION_LEASE_TTL_MS',
  /** Queue of WebSub notifications; unset = no hubs configured. */
  websubQueueUrl: 'WEBSUB_QUEUE_URL',
  /** Validated publisher configuration as JSON (see lambdas/core/config). */
  publisherConfig: 'PUBLISHER_CONFIG',
  /** Schedule group of scheduled articles' one-time schedules; unset = no timers (regeneration only). */
  publicationScheduleGroup: 'PUBLICATION_SCHEDULE_GROUP',
  /** Role EventBridge Scheduler assumes to invoke the regeneration function. */
  publicationScheduleRoleArn: 'PUBLICATION_SCHEDULE_ROLE_ARN',
  /** Dead-letter queue of publication schedules whose invocation failed every retry. */
  publicationScheduleDeadLetterArn: 'PUBLICATION_SCHEDULE_DLQ_ARN',
  /** Queue of delayed publications (early ones handed back with DelaySeconds); unset = the invocation waits itself. */
  publicationDueQueueUrl: 'PUBLICATION_DUE_QUEUE_URL',
} as const;

/**
 * Retry policy of a scheduled article's one-time schedule (EventBridge Scheduler): set on each
 * schedule by the regeneration function, and the age the stack gives the function's own
 * asynchronous retries of that invocation.
 */
export const PUBLICATION_SCHEDULE_RETRY = { maximumRetryAttempts: 10, maximumEventAgeSeconds: 3600 } as const;

/** Records one POST /articles may carry. */
export const MAX_RECORDS_PER_REQUEST = 500;

/** Key prefix of the content inbox bucket that the content-inbox function reads. */
export const INBOX_PREFIX = 'inbox/';

/** Which stream records a dead-lettered batch held (Lambda's on-failure message names them). */
export interface StreamBatchInfo {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  batchSize: number;
  streamArn: string;
}

/**
 * What Lambda's event source mapping sends to its on-failure destination (same shape), plus, as a
 * local extra, the records themselves and the last error.
 */
export interface DeadLetter {
  version: '1.0';
  timestamp: string;
  requestContext: { condition: 'RetryAttemptsExhausted'; approximateInvokeCount: number };
  DDBStreamBatchInfo: StreamBatchInfo;
  records?: DynamoDBRecord[];
  error?: string;
}
