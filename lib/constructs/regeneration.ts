import { Duration } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PublisherConfig } from '../../lambdas/core/config/index.js';
import { PARTNER_PREFIX } from '../../lambdas/core/urls.js';
import { regenerationFilterPatternsFor } from '../../lambdas/core/stream/filter.js';
import { ARCHIVE_PK_PREFIX, STATE_PK_PREFIX } from '../../lambdas/core/storage/keys.js';
import { ENV } from '../../lambdas/core/contracts/index.js';
import type { DeployConfig } from '../config/deployConfig.js';
import { DeadLetterQueue } from './deadLetterQueue.js';
import { PublisherFunction } from './publisherFunction.js';
import { acknowledge, arnWildcardFinding } from '../nag.js';

/**
 * One minute: a batch's renders plus at most the lease wait (lambdas/handlers: the remaining time
 * less 10 s). No invocation waits for a scheduled article's instant any more: one that comes early
 * is delayed on the publication-due queue (PublicationDueQueue) and published when delivered.
 */
export const REGENERATION_TIMEOUT = Duration.minutes(1);
const TIMEOUT = REGENERATION_TIMEOUT;

/** Prefix of every feed object; regeneration may write here and nowhere else. */
export const FEED_PREFIX = 'feeds/';


export interface RegenerationProps {
  table: Table;
  bucket: IBucket;
  publisher: PublisherConfig;
  settings: DeployConfig['regeneration'];
  logRetention: RetentionDays;
  /** Public origin of the feeds (self links). */
  feedBaseUrl: string;
  /** Opt-in paid invalidation of this distribution, within a monthly path budget; undefined relies on the edge lifetime alone. */
  invalidation?: { distribution: IDistribution; monthlyPathBudget: number };
  /** Reserved concurrency 1: one invocation at a time across the whole table (see below). */
  serialize: boolean;
  /** WebSub queue (see WebSubNotifications); undefined when no hubs are configured. */
  websubQueue?: IQueue;
}

/**
 * Partition keys the regeneration function may write (`dynamodb:LeadingKeys` patterns): the feeds'
 * STATE# items (lease, counters, archive slot counter) and the archive projection's ARCHIVE#{slug} /
 * ARCHIVEIDX#{slug} partitions (the feed registry is STATE#registry). Never ARTICLE#, SECTION#,
 * TAG# or AUTHOR#: it cannot change what was published.
 */
export const REGENERATION_WRITABLE_KEYS = [`${STATE_PK_PREFIX}*`, `${ARCHIVE_PK_PREFIX}*`];
/** What it may do there: conditional lease updates, archive slot puts and deletes. */
export const REGENERATION_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'];

/**
 * The regeneration function on the article table's stream.
 *
 * Out-of-order publishing is prevented at three levels:
 * - Each render reads the section from the table's *current* state (a strongly consistent Query),
 *   never from the records in the batch: replayed, retried or reordered records cannot bring back
 *   an older version.
 * - ParallelizationFactor 1: a shard is processed by one batch at a time, in order, and a failing
 *   batch blocks its shard until it succeeds or is dead-lettered, so the changes of one article
 *   (one partition key, one shard) are handled in the order they were made.
 * - Changes to different articles of one section can sit on different shards and so run in
 *   concurrent invocations: the section lease of lambdas/core/publish/publishFeed.ts (a
 *   conditional-write lease and request counter on the section's STATE# item) lets only one of them
 *   render a section at a time, and makes the holder render again if a change arrived meanwhile,
 *   so the last render always starts after the last change. deploy.serializeRegeneration adds
 *   reserved concurrency 1 on top, for operators who want a single invocation at a time anyway.
 */
export class Regeneration extends Construct {
  readonly handler: PublisherFunction;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: RegenerationProps) {
    super(scope, id);
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters');
    this.handler = new PublisherFunction(this, 'Handler', {
      entry: 'regenerate.ts',
      description: 'Re-renders the RSS, Atom and JSON feeds of the sections a batch of article changes touched',
      environment: {
        [ENV.tableName]: props.table.tableName,
        [ENV.feedBucket]: props.bucket.bucketName,
        [ENV.feedBaseUrl]: props.feedBaseUrl,
        [ENV.publisherConfig]: JSON.stringify(props.publisher),
        // The lease must outlive the function's timeout, so a live holder never loses it mid-render.
        [ENV.sectionLeaseTtlMs]: String(TIMEOUT.toMilliseconds() + 30_000),
        ...(props.invalidation && {
          [ENV.distributionId]: props.invalidation.distribution.distributionId,
          [ENV.invalidationPathBudget]: String(props.invalidation.monthlyPathBudget),
        }),
        ...(props.websubQueue && { [ENV.websubQueueUrl]: props.websubQueue.queueUrl }),
      },
      logRetention: props.logRetention,
      memorySize: 1024,
      timeout: TIMEOUT,
      ...(props.serialize && { reservedConcurrentExecutions: 1 }),
    });
    const fn = this.handler.function;

    // Articles: read only, the newest entries of a feed (Query on SECTION#, TAG#, AUTHOR#), the feed
    // registry (Query on STATE#registry) and items by key (GetItem; BatchGetItem for the articles and
    // archive slots a batch reconciles: the same items, fewer round trips).
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem'], resources: [props.table.tableArn] }));
    // Writes only to the feeds' state items (pk STATE#…) and the archive projection (pk ARCHIVE#… and
    // ARCHIVEIDX#…): IAM refuses any write to an article (ARTICLE#) or feed entry (SECTION#, TAG#, AUTHOR#).
    // Single-item writes always carry their key, so the condition is never vacuously true; no batch
    // or transactional writes are granted.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: REGENERATION_WRITE_ACTIONS,
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': REGENERATION_WRITABLE_KEYS } },
      }),
    );
    // Feed and partner documents only; GetObject also covers HeadObject (the "unchanged?" check before a write).
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [props.bucket.arnForObjects(`${FEED_PREFIX}*`), props.bucket.arnForObjects(`${PARTNER_PREFIX}*`)],
      }),
    );
    // A retracted or moved article's per-article partner document is taken down, nothing else.
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:DeleteObject'], resources: [props.bucket.arnForObjects(`${PARTNER_PREFIX}*/ninjs/*`)] }));
    // Without ListBucket, S3 answers HeadObject of a not-yet-written feed with 403 instead of 404,
    // and a section's first publish would fail. No s3:prefix condition: a HeadObject request carries
    // no prefix key, so the condition would never match. It reveals key names of this feeds-only bucket.
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.bucket.bucketArn] }));
    // cloudfront:CreateInvalidation on this one distribution, only when opted in. The budget's
    // counter is a STATE# item, already writable above.
    props.invalidation?.distribution.grantCreateInvalidation(fn);
    // WebSub: it only queues the notification (the WebSub function talks to the hubs). SendMessage
    // alone, not grantSendMessages (which adds GetQueueAttributes/GetQueueUrl it does not need);
    // the queue is SQS-managed-encrypted, so no KMS permission is involved.
    if (props.websubQueue) {
      fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.websubQueue.queueArn] }));
    }

    const source = new DynamoEventSource(props.table, {
      // From the oldest record: changes written before the mapping existed (first deploy) still publish.
      startingPosition: StartingPosition.TRIM_HORIZON,
      filters: regenerationFilterPatternsFor(props.publisher).map((p) => FilterCriteria.filter(p)),
      batchSize: props.settings.batchSize,
      maxBatchingWindow: Duration.seconds(props.settings.batchingWindowSeconds),
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: props.settings.retryAttempts,
      maxRecordAge: Duration.seconds(props.settings.maxRecordAgeSeconds),
      // One batch per shard at a time: a shard's records (every change of one article) in order.
      parallelizationFactor: 1,
      onFailure: new SqsDlq(this.deadLetters.queue),
    });
    fn.addEventSource(source);

    acknowledge(fn, {
      [arnWildcardFinding(props.bucket, `/${FEED_PREFIX}*`)]:
        'Scoped to the feeds/ prefix of the feed bucket: the function writes one object per section and format, whose keys follow the configured sections.',
      [arnWildcardFinding(props.bucket, `/${PARTNER_PREFIX}*`)]:
        'Scoped to the partners/ prefix: partner feeds and one ninjs document per article, whose keys follow sections and article ids.',
      [arnWildcardFinding(props.bucket, `/${PARTNER_PREFIX}*/ninjs/*`)]:
        'Delete is limited to per-article partner documents under partners/{section}/ninjs/, taken down when an article is retracted or moved.',
    });
  }
}
