import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { CoordinatedPublishingDeps } from '../core/publish/index.js';
import { isPublicationDue, parsePublicationDue, type PublicationDueParse } from '../core/schedule/index.js';
import { describeError, log } from './log.js';
import { boundedByDeadline, handlePublicationDue } from './publicationDue.js';

/** Whether an invocation's event is a batch of SQS messages (the publication-due queue), not a stream batch or a schedule's input. */
export function isSqsEvent(event: unknown): event is SQSEvent {
  const records = (event as { Records?: unknown } | null)?.Records;
  return Array.isArray(records) && records.length > 0 && (records[0] as { eventSource?: unknown } | null)?.eventSource === 'aws:sqs';
}

/** A message body: a publication-due event (what the delayer sends), checked by hand like a schedule's input. */
export function parseDelayedPublication(body: string): PublicationDueParse {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return { ok: false, errors: [{ field: 'body', message: 'must be JSON' }] };
  }
  if (!isPublicationDue(event)) return { ok: false, errors: [{ field: 'source', message: 'must be "publisher.publication-due"' }] };
  return parsePublicationDue(event);
}

/**
 * SQS adapter of the publication-due queue: each message is a publication handed back with a delay;
 * at (or a moment before) its instant it is published, or, still early (a hop shorter than the time
 * left), delayed again. Messages run in parallel (feed leases keep each feed's renders in order);
 * each one that fails, or whose body is not a publication, is reported back on its own, so SQS
 * retries just those and parks them in the dead-letter queue after the last receive.
 */
export function createPublicationDueQueueHandler(deps: () => CoordinatedPublishingDeps) {
  return async (event: SQSEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> => {
    const run = boundedByDeadline(deps(), context);
    const failed = await Promise.all(
      event.Records.map(async (message: SQSRecord): Promise<string | undefined> => {
        const parsed = parseDelayedPublication(message.body);
        if (!parsed.ok) {
          log('error', 'publication-due message rejected; left to the dead-letter queue', { messageId: message.messageId, errors: parsed.errors });
          return message.messageId;
        }
        try {
          await handlePublicationDue(parsed.publication, run);
          return undefined;
        } catch (error) {
          log('error', 'delayed publication failed; retried', { messageId: message.messageId, id: parsed.publication.articleId, error: describeError(error) });
          return message.messageId;
        }
      }),
    );
    return { batchItemFailures: failed.filter((id): id is string => id !== undefined).map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
