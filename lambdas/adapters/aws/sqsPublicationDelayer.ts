import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MAX_DELAY_SECONDS, publicationDueEvent, type PublicationDelayer, type ScheduledPublication } from '../../core/schedule/index.js';

/**
 * Deployed delays of early publications: one message on the publication-due queue, invisible for
 * DelaySeconds, whose event source mapping is the regeneration function. The body is the very input
 * a schedule carries (publicationDueEvent), validated again on delivery. A failure to queue throws,
 * so the caller's invocation (a schedule's, a stream batch's, a delivered message's) is retried.
 */
export class SqsPublicationDelayer implements PublicationDelayer {
  constructor(
    private readonly sqs: () => SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** The SendMessage input, whole: delay clamped to what SQS takes (1–900 s). */
  messageInput(publication: ScheduledPublication, delaySeconds: number) {
    return {
      QueueUrl: this.queueUrl,
      MessageBody: JSON.stringify(publicationDueEvent(publication)),
      DelaySeconds: Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.ceil(delaySeconds))),
    };
  }

  async delay(publication: ScheduledPublication, delaySeconds: number): Promise<void> {
    await this.sqs().send(new SendMessageCommand(this.messageInput(publication, delaySeconds)));
  }
}
