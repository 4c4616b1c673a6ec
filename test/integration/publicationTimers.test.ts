import { beforeEach, describe, expect, it } from 'vitest';
import { ArticleValidator, type Article } from '../../lambdas/core/article/index.js';
import { createPublishingDeps } from '../../lambdas/adapters/aws/publishingDeps.js';
import type { CoordinatedPublishingDeps } from '../../lambdas/core/publish/index.js';
import { publicationDueEvent, type PublicationScheduler, type ScheduledPublication } from '../../lambdas/core/schedule/index.js';
import { createPublicationDueHandler, InvalidPublicationDueError } from '../../lambdas/handlers/publicationDue.js';
import { createRegenerateHandler } from '../../lambdas/handlers/regenerate.js';
import { toLambdaRecord } from '../../operator/streamRecords.js';
import { articleRecord, testConfig } from '../helpers/factories.js';
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
    expect(scheduler.calls).toEqual([{ op: 'schedule', exists: false, publication: { articleId: 'timed', publishAt: new Date(first).toISOString(), feeds: ['section/international'] } }]);
    expect(await feedIds()).toEqual([]);

    const later = first + 60_000;
    await deps.store.put(scheduled('timed', later, { section: 'Business' }));
    await handler({ Records: await newRecords(3) });
    expect(scheduler.calls.at(-1)).toEqual({ op: 'schedule', exists: true, publication: { articleId: 'timed', publishAt: new Date(later).toISOString(), feeds: ['section/business'] } });

    // An edit that keeps the instant and the feeds touches no timer.
    await deps.store.put(scheduled('timed', later, { section: 'Business', title: 'Edited title', updatedAt: new Date(later + 1).toISOString() }));
    await handler({ Records: await newRecords(2) });
    expect(scheduler.calls).toHaveLength(2);

    await deps.store.retract('timed');
    await handler({ Records: await newRecords(2) });
    expect(scheduler.calls.at(-1)).toEqual({ op: 'cancel', articleId: 'timed' });
  });

  it('due sooner than a timer could fire: no timer; the invocation waits for the instant and publishes it', async () => {
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

  it('a timer\'s input publishes the article\'s feeds; a malformed one is refused (and so retried, then dead-lettered)', async () => {
    const due = createPublicationDueHandler(() => deps);
    const publishAt = Date.now() + 300;
    await deps.store.put(scheduled('fired', publishAt));
    await due(publicationDueEvent({ articleId: 'fired', publishAt: new Date(publishAt).toISOString(), feeds: ['section/international'] }));
    const state = await deps.state.read('section/international');
    expect(Object.keys(state.manifest)).toContain('partners/international/ninjs/fired.json');
    await expect(due({ source: 'publisher.publication-due', publication: { articleId: 'fired', publishAt: 'soon', feeds: ['section/international'] } })).rejects.toBeInstanceOf(InvalidPublicationDueError);
  });
});
