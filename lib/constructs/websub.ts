import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PublisherConfig } from '../../lambdas/core/config/index.js';
import { ENV } from '../../lambdas/core/contracts/index.js';
import { workQueue, type DeadLetterQueue } from './deadLetterQueue.js';
import { PublisherFunction } from './publisherFunction.js';

export interface WebSubNotificationsProps {
  publisher: PublisherConfig;
  logRetention: RetentionDays;
  /** Reserved concurrency of the function; undefined: none. */
  reservedConcurrency?: number;
}

/** Worst case of one message: every hub (in parallel) takes 3 attempts of 3 s plus backoff (lambdas/core/publish/hubNotifier.ts). */
const TIMEOUT = Duration.minutes(1);
/** Messages per invocation: 5 × ~10 s worst case stays inside the timeout. */
export const WEBSUB_BATCH_SIZE = 5;
/** Receives before a notification is parked in the dead-letter queue (~30 min of retries at the visibility timeout below). */
export const WEBSUB_MAX_RECEIVE_COUNT = 5;

/**
 * WebSub push, only when `publisher.websubHubs` is set: the regeneration function queues one
 * message per publish that changed bytes (it may only sqs:SendMessage here) and never waits for a
 * hub; this function pings the hubs (HTTP POST hub.mode=publish) from the queue, reporting failed
 * messages back so SQS retries just those, and after WEBSUB_MAX_RECEIVE_COUNT receives parks them
 * in a dead-letter queue that Operations alarms on. It runs outside any VPC: Lambda's own internet
 * egress reaches the hubs, with no NAT gateway to pay for.
 */
export class WebSubNotifications extends Construct {
  readonly queue: Queue;
  readonly deadLetters: DeadLetterQueue;
  readonly handler: PublisherFunction;

  constructor(scope: Construct, id: string, props: WebSubNotificationsProps) {
    super(scope, id);
    // A ping about a publish more than a day old tells the hub nothing a later publish will not.
    ({ queue: this.queue, deadLetters: this.deadLetters } = workQueue(this, { consumerTimeout: TIMEOUT, retention: Duration.days(1), maxReceiveCount: WEBSUB_MAX_RECEIVE_COUNT }));

    this.handler = new PublisherFunction(this, 'Handler', {
      entry: 'websubNotify.ts',
      description: 'Notifies the configured WebSub hubs (hub.mode=publish) of changed feeds, from the WebSub queue',
      environment: { [ENV.publisherConfig]: JSON.stringify(props.publisher) },
      logRetention: props.logRetention,
      ...(props.reservedConcurrency !== undefined && { reservedConcurrentExecutions: props.reservedConcurrency }),
      memorySize: 256,
      timeout: TIMEOUT,
    });
    this.handler.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: WEBSUB_BATCH_SIZE,
        reportBatchItemFailures: true,
        // Two at a time (SQS's minimum) is plenty for pings and keeps a burst from hammering the hubs.
        maxConcurrency: 2,
      }),
    );
  }
}
