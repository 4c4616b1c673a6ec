import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
// The config module itself, not its index: the index also carries the zod schema (synth-time validation).
import { loadPublisherConfigFromEnv } from '../core/config/fromEnv.js';
import { pingHub, type HubNotification } from '../core/publish/index.js';
import { describeError, log } from './log.js';
import { lazy } from './lazy.js';

/**
 * SQS adapter for WebSub: pings every configured hub for each queued publish. A message whose
 * pings fail is reported back, so SQS retries it and finally parks it in the dead-letter queue.
 */
export function createWebsubNotifyHandler(hubs: () => readonly string[]) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: { itemIdentifier: string }[] = [];
    for (const message of event.Records) {
      const { topicUrls } = JSON.parse(message.body) as HubNotification;
      const results = await Promise.allSettled(hubs().map((hub) => pingHub(hub, topicUrls)));
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length > 0) {
        log('warn', 'websub ping failed', { topics: topicUrls, errors: failed.map((f) => describeError(f.reason)) });
        failures.push({ itemIdentifier: message.messageId });
      } else {
        log('info', 'websub pinged', { topics: topicUrls, hubs: hubs().length });
      }
    }
    return { batchItemFailures: failures };
  };
}

export const handler = createWebsubNotifyHandler(lazy(() => loadPublisherConfigFromEnv().websubHubs));
