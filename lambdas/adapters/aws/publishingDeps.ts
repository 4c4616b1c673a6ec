import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { PublisherConfig } from '../../core/config/index.js';
import { systemClock, type Clock, type PublicationDelayer, type PublicationScheduler } from '../../core/schedule/index.js';
import { noInvalidation, type CdnInvalidator, type CoordinatedPublishingDeps, type HubNotifier } from '../../core/publish/index.js';
import { DynamoArchiveStore } from './dynamoArchiveStore.js';
import { articleRepository } from './dynamoArticleRepository.js';
import { DynamoFeedStateStore } from './dynamoFeedStateStore.js';
import { S3DocumentStore } from './s3DocumentStore.js';

export interface PublishingSettings {
  config: PublisherConfig;
  tableName: string;
  bucket: string;
  /** Public origin the feeds are served from. */
  feedBaseUrl: string;
  leaseTtlMs: number;
  maxWaitMs: number;
  pollMs?: number;
  /** CloudFront (deployed, when opted in), a counter (tests), nothing (local run). */
  cdn?: CdnInvalidator;
  hubs?: HubNotifier;
  /** Keep RFC 5005 archive pages (default true). */
  archive?: boolean;
  /** The as-of instant of reads (default the system clock). */
  clock?: Clock;
  /** Timers of scheduled articles (EventBridge Scheduler deployed, in-process locally). */
  scheduler?: PublicationScheduler;
  /** Delays of early publications (an SQS queue deployed; none locally, where timers fire at the instant). */
  delayer?: PublicationDelayer;
}

/**
 * The one constructor of the publishing dependencies on DynamoDB and S3, used by the Lambda
 * runtime, the local server, the tests and the bench. Clients are passed in: each caller decides
 * how they are configured (region, endpoint, instrumentation).
 */
export function createPublishingDeps(clients: { dynamo: DynamoDBClient; s3: S3Client }, settings: PublishingSettings): CoordinatedPublishingDeps {
  const { config, tableName } = settings;
  return {
    config,
    store: articleRepository(clients.dynamo, tableName, config),
    documents: new S3DocumentStore(clients.s3, settings.bucket),
    state: new DynamoFeedStateStore(clients.dynamo, tableName),
    ...(settings.archive !== false && { archive: new DynamoArchiveStore(clients.dynamo, tableName, config.archivePageSize) }),
    cdn: settings.cdn ?? noInvalidation,
    ...(settings.hubs && { hubs: settings.hubs }),
    feedBaseUrl: settings.feedBaseUrl,
    clock: settings.clock ?? systemClock,
    ...(settings.scheduler && { scheduler: settings.scheduler }),
    ...(settings.delayer && { delayer: settings.delayer }),
    leaseTtlMs: settings.leaseTtlMs,
    maxWaitMs: settings.maxWaitMs,
    ...(settings.pollMs !== undefined && { pollMs: settings.pollMs }),
  };
}
