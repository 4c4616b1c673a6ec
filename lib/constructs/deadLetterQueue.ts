import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Where work that failed every retry lands, kept 14 days for inspection and redrive; an alarm watches it. */
export class DeadLetterQueue extends Construct {
  readonly queue: Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination; a DLQ for the DLQ would only move the same messages again.',
    });
  }
}

export interface WorkQueueProps {
  /** The consuming function's timeout: the visibility timeout is six times it (AWS's advice for Lambda consumers). */
  consumerTimeout: Duration;
  /** How long an unconsumed message is worth keeping. */
  retention: Duration;
  /** Receives before a message goes to the dead letters. */
  maxReceiveCount: number;
}

/**
 * A queue a Lambda function consumes, with its dead letters, created in `scope` as `Queue` and
 * `DeadLetters`: SQS-managed encryption, TLS only, and a visibility timeout of six function
 * timeouts, so a message is not handed out again while an invocation (and Lambda's retries of it)
 * still holds it.
 */
export function workQueue(scope: Construct, props: WorkQueueProps): { queue: Queue; deadLetters: DeadLetterQueue } {
  const deadLetters = new DeadLetterQueue(scope, 'DeadLetters');
  const queue = new Queue(scope, 'Queue', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
    retentionPeriod: props.retention,
    deadLetterQueue: { queue: deadLetters.queue, maxReceiveCount: props.maxReceiveCount },
  });
  return { queue, deadLetters };
}
