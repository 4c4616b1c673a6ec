import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { HubNotification, HubNotifier } from '../../core/publish/index.js';

/**
 * Deployed: hands the changed feeds to a queue; a separate function pings the hubs with retries
 * and a dead-letter queue, so a slow or dead hub costs the publish one SendMessage at most.
 */
export class SqsHubNotifier implements HubNotifier {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly onError: (error: unknown) => void = (e) => console.error(JSON.stringify({ level: 'warn', message: 'websub notification not queued', error: String(e) })),
  ) {}

  async notify(topicUrls: string[]): Promise<void> {
    const message: HubNotification = { topicUrls };
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message) })).catch(this.onError);
  }
}
