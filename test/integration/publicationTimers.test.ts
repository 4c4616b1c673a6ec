import { beforeEach, describe, expect, it } from 'vitest';
import { ArticleValidator, type Article } from '../../lambdas/core/article/index.js';
import { createPublishingDeps } from '../../lambdas/adapters/aws/publishingDeps.js';
import type { SQSRecord } from 'aws-lambda';
import type { CoordinatedPublishingDeps } from '../../lambdas/core/publish/index.js';
import { publicationDueEvent, type PublicationDelayer, type PublicationScheduler, type ScheduledPublication } from '../../lambdas/core/schedule/index.js';
import { createPublicationDueHandler, InvalidPublicationDueError } from '../../lambdas/handlers/publicationDue.js';
import { createPublicationDueQueueHandler } from '../../lambdas/handlers/publicationDueQueue.js';
import { createRegenerateHandler } from '../../lambdas/handlers/regenerate.js';
import { toLambdaRecord } from '../../operator/streamRecords.js';
import { articleRecord, testConfig } from '../helpers/factories.js';
import { captureLogs, expectLogged } from '../helpers/logs.js';
import { createTestBucket, createTestTable, localClients, readStreamRecords } from '../helpers/localAws.js';

/** Our own port, recording what the regeneration path asks of it (the deployed adapter would call EventBridge Scheduler). */
class RecordingScheduler implements PublicationScheduler {
  readonly calls: ({ op: 'schedule'; publication: ScheduledPublication; exists: boolean } | { op: 'cancel'; articleId: string })[] = [];
  constructor(readonly minLeadMs: number) {}
  async schedule(publication: ScheduledPublication, hint?: { exists: boolean }) {
    this.calls.push({ op: 'schedule', publication, exists: hint?.exists ?? false });
  }
  async cancel(articleId: string) {
    this.calls.push({ op: 'cancel', articleId });
  }
}

/** Our own delay port, keeping what the deployed adapter would put on the publication-due queue. */
class RecordingDelayer implements PublicationDelayer {
  readonly delayed: { publication: ScheduledPublication; delaySeconds: number }[] = [];
  async delay(publication: ScheduledPublication, delaySeconds: number) {
    this.delayed.push({ publication, delaySeconds });
  }
  /** What the event source mapping would deliver once a message's delay ran out. */
  delivered(index: number): { Records: SQSRecord[] } {
    const { publication } = this.delayed[index]!;
    const record = { messageId: `m-${index}`, receiptHandle: `rh-${index}`, body: JSON.stringify(publicationDueEvent(publication)), eventSource: 'aws:sqs' };
    return { Records: [record as unknown as SQSRecord] };
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The regeneration function's side of scheduled articles, on real stream records of DynamoDB Local:
 * timers armed, moved and removed from old and new images; due-soon ones published in the same
 * invocation; a timer's input published by the publication-due handler.
 */
describe('regeneration path: timers of scheduled articles', () => {
  const config = testConfig();
  const clients = localClients();
  const validator = new ArticleValidator(config);
  let deps: CoordinatedPublishingDeps;
  let scheduler: RecordingScheduler;
  let streamArn: string;
  let seen = 0;

  const article = (record: Record<string, unknown>): Article => {
    const parsed = validator.parse(record);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return parsed.article;
  };
  const scheduled = (id: string, publishAtMs: number, extra: Record<string, unknown> = {}) =>
    article(articleRecord({ id, publishedAt: new Date(publishAtMs).toISOString(), updatedAt: new Date(publishAtMs).toISOString(), ...extra }));
  /** The article records among the next `records` stream records (a write is its article item and each entry put or deleted), as Lambda delivers them. */
  const newRecords = async (records: number) => {
    const all = await readStreamRecords(clients.streams, streamArn, { minRecords: seen + records });
    const fresh = all.slice(seen).filter((r) => r.dynamodb?.Keys?.['pk']?.S?.startsWith('ARTICLE#'));
    seen = all.length;
    if (fresh.length !== 1) throw new Error(`expected one article record, read ${fresh.length}`);
    return fresh.map((r) => toLambdaRecord(r, streamArn));
  };
  const feedIds = async () => {
    const { articles } = await deps.store.readEntries('SECTION#international', 10, new Date());
    return articles.map((a) => a.id);
  };

  beforeEach(async () => {
    const table = await createTestTable(clients.dynamo, 'timers');
    streamArn = table.streamArn;
    seen = 0;
    const bucket = await createTestBucket(clients.s3, 'timers');
    scheduler = new RecordingScheduler(0);
    deps = createPublishingDeps(clients, { config, tableName: table.tableName, bucket, feedBaseUrl: 'https://feeds.test.example', leaseTtlMs: 10_000, maxWaitMs: 10_000, archive: false, scheduler });
  });

  it('arms a timer for a future article, moves it with its instant, removes it on retraction; its feeds stay as they were', async () => {
    const handler = createRegenerateHandler(() => deps);
    const first = Date.now() + 10 * 60_000;
    await deps.store.put(scheduled('timed', first));
    expect(await handler({ Records: await newRecords(2) })).toEqual({ batchItemFailures: [] });
    expect(scheduler.calls).toEqual([{ op: 'schedule', exists: false, publication: { articleId: 'timed', publishAt: new Date(first).toISOString(), feeds: ['author/test-desk', 'section/international', 'tag/test-tag'] } }]);
    expect(await feedIds()).toEqual([]);

    const later = first + 60_000;
    await deps.store.put(scheduled('timed', later, { section: 'Business' }));
    await handler({ Records: await newRecords(3) });
    expect(scheduler.calls.at(-1)).toEqual({ op: 'schedule', exists: true, publication: { articleId: 'timed', publishAt: new Date(later).toISOString(), feeds: ['author/test-desk', 'section/business', 'tag/test-tag'] } });

    // (Its automatic tag and author feeds are timed with its section.) An edit that keeps the instant and the feeds touches no timer.
    await deps.store.put(scheduled('timed', later, { section: 'Business', title: 'Edited title', updatedAt: new Date(later + 1).toISOString() }));
    await handler({ Records: await newRecords(2) });
    expect(scheduler.calls).toHaveLength(2);

    await deps.store.retract('timed');
    await handler({ Records: await newRecords(2) });
    expect(scheduler.calls.at(-1)).toEqual({ op: 'cancel', articleId: 'timed' });
  });

  it('due sooner than a timer could fire, without a delayer (the local pipeline): no timer; the invocation waits for the instant and publishes it', async () => {
    scheduler = new RecordingScheduler(20_000);
    deps = { ...deps, scheduler };
    const handler = createRegenerateHandler(() => deps);
    const publishAt = Date.now() + 1_500;
    await deps.store.put(scheduled('due-soon', publishAt));
    const records = await newRecords(2);
    expect(await feedIds()).toEqual([]);
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(scheduler.calls).toEqual([]);
    const state = await deps.state.read('section/international');
    expect(Object.keys(state.manifest)).toContain('partners/international/ninjs/due-soon.json');
  });

  it('deployed (a delayer): due sooner than a timer could fire, the stream invocation delays it instead of waiting; the delivered message publishes it', async () => {
    scheduler = new RecordingScheduler(20_000);
    const delayer = new RecordingDelayer();
    deps = { ...deps, scheduler, delayer };
    const handler = createRegenerateHandler(() => deps);
    // Far enough ahead that a loaded machine still reaches the handler more than the inline-wait second before it.
    const publishAt = Date.now() + 6_000;
    await deps.store.put(scheduled('delayed-soon', publishAt));
    expect(await handler({ Records: await newRecords(2) })).toEqual({ batchItemFailures: [] });
    expect(scheduler.calls).toEqual([]);
    expect(delayer.delayed).toHaveLength(1);
    const [{ publication, delaySeconds }] = delayer.delayed as [{ publication: ScheduledPublication; delaySeconds: number }];
    expect(publication).toEqual({ articleId: 'delayed-soon', publishAt: new Date(publishAt).toISOString(), feeds: ['author/test-desk', 'section/international', 'tag/test-tag'] });
    // The whole seconds left when it was delayed, rounded up: never delivered before the instant.
    expect(delaySeconds).toBeGreaterThanOrEqual(2);
    expect(delaySeconds).toBeLessThanOrEqual(6);
    expect(Object.keys((await deps.state.read('section/international')).manifest)).not.toContain('partners/international/ninjs/delayed-soon.json');

    // SQS hands it over when the delay ran out (here: the test waits for the instant).
    await sleep(Math.max(0, publishAt - Date.now()));
    const queue = createPublicationDueQueueHandler(() => deps);
    expect(await queue(delayer.delivered(0))).toEqual({ batchItemFailures: [] });
    expect(Object.keys((await deps.state.read('section/international')).manifest)).toContain('partners/international/ninjs/delayed-soon.json');
    expect(delayer.delayed).toHaveLength(1);
  });

  it('deployed (a delayer): a schedule that fires minutes early is delayed, not waited for, and publishes nothing yet', async () => {
    const delayer = new RecordingDelayer();
    deps = { ...deps, delayer };
    const publishAt = Date.now() + 95_000;
    await deps.store.put(scheduled('early-fire', publishAt));
    await createPublicationDueHandler(() => deps)(publicationDueEvent({ articleId: 'early-fire', publishAt: new Date(publishAt).toISOString(), feeds: ['section/international'] }));
    expect(delayer.delayed.map((d) => d.publication.articleId)).toEqual(['early-fire']);
    expect(delayer.delayed[0]!.delaySeconds).toBeGreaterThan(90);
    expect(delayer.delayed[0]!.delaySeconds).toBeLessThanOrEqual(95);
    expect((await deps.state.read('section/international')).manifest).toEqual({});
  });

  it('a timer\'s input publishes the article\'s feeds; a malformed one is refused (and so retried, then dead-lettered)', async () => {
    const due = createPublicationDueHandler(() => deps);
    const publishAt = Date.now() + 300;
    await deps.store.put(scheduled('fired', publishAt));
    await due(publicationDueEvent({ articleId: 'fired', publishAt: new Date(publishAt).toISOString(), feeds: ['section/international'] }));
    const state = await deps.state.read('section/international');
    expect(Object.keys(state.manifest)).toContain('partners/international/ninjs/fired.json');
    const logs = captureLogs();
    await expect(due({ source: 'publisher.publication-due', publication: { articleId: 'fired', publishAt: 'soon', feeds: ['section/international'] } })).rejects.toBeInstanceOf(InvalidPublicationDueError);
    const line = expectLogged(logs, 'publication-due event rejected');
    expect(JSON.stringify(line.entry?.['errors'])).toContain('publication.publishAt');
  });
});
