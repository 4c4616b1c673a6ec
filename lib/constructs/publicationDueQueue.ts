import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/core/contracts/index.js';
import { workQueue, type DeadLetterQueue } from './deadLetterQueue.js';

/** Receives of a delayed publication before it is parked in the dead-letter queue (about half an hour of retries at the visibility timeout below). */
export const PUBLICATION_DUE_MAX_RECEIVE_COUNT = 5;
/** Messages per invocation: publications that came due together are published in one run, in parallel. */
export const PUBLICATION_DUE_BATCH_SIZE = 10;

export interface PublicationDueQueueProps {
  /** The regeneration function: it sends the delayed publications and consumes them. */
  consumer: LambdaFunction;
}

/**
 * Scheduled articles' last stretch without a waiting invocation: a publication that came up early
 * (a schedule fires anywhere within the minute it names, up to two minutes before the instant; or
 * the stream found it due in a few seconds) is one message here with DelaySeconds = the seconds left,
 * rounded up (a longer wait re-delays itself in 900-second hops). The regeneration function consumes
 * the queue (no batching window: a message is handed over as soon as its delay ends), publishes, and
 * reports each failed or malformed message back; after PUBLICATION_DUE_MAX_RECEIVE_COUNT receives a
 * message lands in the dead-letter queue, which Operations alarms on like the others. The function
 * may only SendMessage here (and consume through its event source mapping).
 */
export class PublicationDueQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: PublicationDueQueueProps) {
    super(scope, id);
    const fn = props.consumer;
    const timeout = fn.timeout ?? Duration.seconds(3);
    // A hop is at most 900 s and the retries about half an hour: a day of retention is plenty.
    ({ queue: this.queue, deadLetters: this.deadLetters } = workQueue(this, { consumerTimeout: timeout, retention: Duration.days(1), maxReceiveCount: PUBLICATION_DUE_MAX_RECEIVE_COUNT }));
    // No maxConcurrency: on an idle queue Lambda may then scale its pollers down to two (fewer empty receives).
    fn.addEventSource(new SqsEventSource(this.queue, { batchSize: PUBLICATION_DUE_BATCH_SIZE, reportBatchItemFailures: true }));
    // SendMessage alone (the delayer), on this queue only; SQS-managed encryption needs no KMS grant.
    fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
    fn.addEnvironment(ENV.publicationDueQueueUrl, this.queue.queueUrl);
  }
}
