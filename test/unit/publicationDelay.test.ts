import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { SqsPublicationDelayer } from '../../lambdas/adapters/aws/sqsPublicationDelayer.js';
import { NotYetDueError, publishOrDelay, type CoordinatedPublishingDeps, type FeedStateStore } from '../../lambdas/core/publish/index.js';
import { dueAction, MAX_DELAY_SECONDS, publicationDueEvent, type PublicationDelayer, type ScheduledPublication } from '../../lambdas/core/schedule/index.js';
import { createPublicationDueHandler } from '../../lambdas/handlers/publicationDue.js';
import { createPublicationDueQueueHandler, isSqsEvent, parseDelayedPublication } from '../../lambdas/handlers/publicationDueQueue.js';
import { createRegenerationEntry, regenerationInputOf } from '../../lambdas/handlers/regenerate.js';
import { articleStreamRecord, testConfig } from '../helpers/factories.js';
import { captureLogs, expectLogged } from '../helpers/logs.js';

const NOW = Date.parse('2026-12-03T07:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const publication = (id: string, offsetMs: number): ScheduledPublication => ({ articleId: id, publishAt: at(offsetMs), feeds: ['section/international'] });

/** Our own port, recording what it is asked to delay; `failFor` ids make it throw (SQS away). */
class RecordingDelayer implements PublicationDelayer {
  readonly delayed: { publication: ScheduledPublication; delaySeconds: number }[] = [];
  constructor(private readonly failFor: ReadonlySet<string> = new Set()) {}
  async delay(publication: ScheduledPublication, delaySeconds: number): Promise<void> {
    if (this.failFor.has(publication.articleId)) throw new Error('queue away');
    this.delayed.push({ publication, delaySeconds });
  }
}

/** A feed state store that is never reachable: any publish through it fails (a unit test has no table). */
const unreachableState = new Proxy({} as FeedStateStore, { get: () => () => Promise.reject(new Error('table away')) });

/** Publishing deps at a fixed instant; every publish fails (no table), so only the delay decisions can succeed. */
function depsAt(nowMs: number, delayer?: PublicationDelayer): CoordinatedPublishingDeps {
  const unused = new Proxy({}, { get: () => () => Promise.reject(new Error('not reachable in a unit test')) });
  return {
    config: testConfig(),
    store: unused as CoordinatedPublishingDeps['store'],
    documents: unused as CoordinatedPublishingDeps['documents'],
    cdn: { invalidate: async () => undefined },
    feedBaseUrl: 'https://feeds.test.example',
    clock: { now: () => new Date(nowMs) },
    state: unreachableState,
    leaseTtlMs: 1_000,
    maxWaitMs: 50,
    pollMs: 5,
    ...(delayer && { delayer }),
  };
}

const sqsRecord = (messageId: string, body: string): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body,
  attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(NOW), SenderId: 'AROA', ApproximateFirstReceiveTimestamp: String(NOW) },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:publication-due',
  awsRegion: 'us-east-1',
});
const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
const messageOf = (id: string, p: ScheduledPublication) => sqsRecord(id, JSON.stringify(publicationDueEvent(p)));

describe('dueAction: publish, or delay by the whole seconds left', () => {
  it('exact seconds are delayed by exactly that many', () => {
    expect(dueAction(NOW + 5_000, NOW)).toEqual({ action: 'delay', delaySeconds: 5 });
    expect(dueAction(NOW + 60_000, NOW)).toEqual({ action: 'delay', delaySeconds: 60 });
    expect(dueAction(NOW + 900_000, NOW)).toEqual({ action: 'delay', delaySeconds: 900 });
  });

  it('a fraction of a second left over is rounded up (never delivered before the instant)', () => {
    expect(dueAction(NOW + 5_001, NOW)).toEqual({ action: 'delay', delaySeconds: 6 });
    expect(dueAction(NOW + 1_001, NOW)).toEqual({ action: 'delay', delaySeconds: 2 });
    expect(dueAction(NOW + 119_999, NOW)).toEqual({ action: 'delay', delaySeconds: 120 });
  });

  it('more than 900 s left: one hop of 900 s, and the delivered one delays itself again', () => {
    expect(dueAction(NOW + 3_600_000, NOW)).toEqual({ action: 'delay', delaySeconds: MAX_DELAY_SECONDS });
    // Delivered 900 s later, 2,700 s remain: another full hop; then the rest.
    expect(dueAction(NOW + 3_600_000, NOW + 900_000)).toEqual({ action: 'delay', delaySeconds: 900 });
    expect(dueAction(NOW + 1_000_500, NOW + 900_000)).toEqual({ action: 'delay', delaySeconds: 101 });
  });

  it('already due: publish now, no wait', () => {
    expect(dueAction(NOW, NOW)).toEqual({ action: 'publish', waitMs: 0 });
    expect(dueAction(NOW - 30_000, NOW)).toEqual({ action: 'publish', waitMs: 0 });
  });

  it('a fraction of a second early: publish after that remainder (bounded by the inline wait)', () => {
    expect(dueAction(NOW + 400, NOW)).toEqual({ action: 'publish', waitMs: 400 });
    expect(dueAction(NOW + 1_000, NOW)).toEqual({ action: 'publish', waitMs: 1_000 });
    expect(dueAction(NOW + 1_500, NOW, 2_000)).toEqual({ action: 'publish', waitMs: 1_500 });
  });
});

describe('publishOrDelay: the one decision of every publication-due path', () => {
  it('with a delayer, an early publication is handed to it and nothing is published or waited for', async () => {
    const delayer = new RecordingDelayer();
    const early = publication('early', 95_250);
    expect(await publishOrDelay(early, depsAt(NOW, delayer), 60_000)).toEqual({ outcome: 'delayed', delaySeconds: 96 });
    expect(delayer.delayed).toEqual([{ publication: early, delaySeconds: 96 }]);
  });

  it('without one (local timers fire at the instant), an instant further off than the invocation may wait is refused', async () => {
    await expect(publishOrDelay(publication('far', 60_000), depsAt(NOW), 10_000)).rejects.toBeInstanceOf(NotYetDueError);
  });

  it('a due publication is published, even with a delayer (here the publish fails: no table)', async () => {
    const delayer = new RecordingDelayer();
    await expect(publishOrDelay(publication('due', -10), depsAt(NOW, delayer))).rejects.toThrow('table away');
    expect(delayer.delayed).toEqual([]);
  });

  it('a delayer that cannot queue fails the call (so the invocation is retried)', async () => {
    await expect(publishOrDelay(publication('stuck', 30_000), depsAt(NOW, new RecordingDelayer(new Set(['stuck']))))).rejects.toThrow('queue away');
  });
});

describe('SqsPublicationDelayer', () => {
  const delayer = new SqsPublicationDelayer(() => {
    throw new Error('no client in a unit test');
  }, 'https://sqs.us-east-1.amazonaws.com/123456789012/publication-due');

  it('one message to the queue, DelaySeconds as asked (SQS bounds: 0-900), the body a publication-due event its consumer accepts', () => {
    const p = publication('embargoed-story', 42_000);
    const input = delayer.messageInput(p, 42);
    expect(input).toMatchObject({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/publication-due', DelaySeconds: 42 });
    expect(parseDelayedPublication(input.MessageBody)).toEqual({ ok: true, publication: p });
    expect(delayer.messageInput(p, 5_000).DelaySeconds).toBe(900);
    expect(delayer.messageInput(p, 1.2).DelaySeconds).toBe(2);
  });
});

describe('the regeneration function tells its three inputs apart', () => {
  const stream = { Records: [articleStreamRecord({ id: 'a', newSection: 'international' })] };
  const schedule = publicationDueEvent(publication('timed', 0));
  const queue = sqsEvent(messageOf('m-1', publication('timed', 0)));

  it('a schedule\'s input, a batch of the publication-due queue, a stream batch', () => {
    expect(regenerationInputOf(schedule)).toBe('publication-due');
    expect(regenerationInputOf(queue)).toBe('delayed-publications');
    expect(regenerationInputOf(stream)).toBe('stream');
    expect(isSqsEvent(stream)).toBe(false);
    expect(isSqsEvent({ Records: [] })).toBe(false);
  });

  it('hands each to its own handler and returns its answer', async () => {
    const seen: string[] = [];
    const entry = createRegenerationEntry({
      stream: async () => (seen.push('stream'), { batchItemFailures: [] }),
      publicationDue: async () => void seen.push('publication-due'),
      delayedPublications: async () => (seen.push('delayed-publications'), { batchItemFailures: [{ itemIdentifier: 'm-1' }] }),
    });
    const context = { getRemainingTimeInMillis: () => 60_000, invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:regeneration' };
    expect(await entry(queue, context)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect(await entry(schedule, context)).toBeUndefined();
    expect(await entry(stream, context)).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual(['delayed-publications', 'publication-due', 'stream']);
  });
});

describe('a schedule that fires early', () => {
  it('hands the publication to the delayer for the seconds left instead of waiting', async () => {
    const delayer = new RecordingDelayer();
    const due = createPublicationDueHandler(() => depsAt(NOW, delayer));
    await due(publicationDueEvent(publication('timed', 73_400)), { getRemainingTimeInMillis: () => 60_000 });
    expect(delayer.delayed.map((d) => d.delaySeconds)).toEqual([74]);
  });
});

describe('the publication-due queue handler: one partial failure per message', () => {
  it('delays the early ones again, publishes the due ones, and reports exactly the messages that failed or are not publications', async () => {
    const delayer = new RecordingDelayer(new Set(['queue-down']));
    const handler = createPublicationDueQueueHandler(() => depsAt(NOW, delayer));
    const logs = captureLogs();
    const result = await handler(
      sqsEvent(
        messageOf('early', publication('early', 2_300)),
        messageOf('far', publication('far', 7_200_000)),
        sqsRecord('not-json', '{"source":'),
        sqsRecord('wrong-source', JSON.stringify({ source: 'elsewhere', publication: publication('x', 0) })),
        sqsRecord('bad-fields', JSON.stringify({ source: 'publisher.publication-due', publication: { articleId: 'Bad Id', publishAt: 'soon', feeds: [] } })),
        messageOf('queue-down', publication('queue-down', 30_000)),
        messageOf('due-but-failing', publication('due-but-failing', -500)),
      ),
    );
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['bad-fields', 'due-but-failing', 'not-json', 'queue-down', 'wrong-source']);
    expect(delayer.delayed.map((d) => [d.publication.articleId, d.delaySeconds])).toEqual([
      ['early', 3],
      ['far', 900],
    ]);
    const rejected = logs.lines.filter((l) => l.entry?.['message'] === 'publication-due message rejected; left to the dead-letter queue').map((l) => l.entry?.['messageId']);
    expect(rejected.sort()).toEqual(['bad-fields', 'not-json', 'wrong-source']);
    expectLogged(logs, 'publication-due message rejected; left to the dead-letter queue', { messageId: 'bad-fields', errors: expect.arrayContaining([expect.objectContaining({ field: 'publication.publishAt' })]) });
    expect(logs.messages().filter((m) => m === 'delayed publication failed; retried')).toHaveLength(2);
  });

  it('a batch that is all good reports nothing', async () => {
    const handler = createPublicationDueQueueHandler(() => depsAt(NOW, new RecordingDelayer()));
    expect(await handler(sqsEvent(messageOf('a', publication('a', 10_000)), messageOf('b', publication('b', 20_000))))).toEqual({ batchItemFailures: [] });
  });
});
