import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArticleValidator } from '../../lambdas/core/article/index.js';
import { createArticleTable } from '../../lambdas/adapters/aws/articleTable.js';
import { createPublishingDeps } from '../../lambdas/adapters/aws/publishingDeps.js';
import type { CoordinatedPublishingDeps } from '../../lambdas/core/publish/index.js';
import { createRegenerateHandler } from '../../lambdas/handlers/regenerate.js';
import { articleRecord, articleStreamRecord, testConfig } from '../helpers/factories.js';
import { createTestBucket, localClients, uniqueName } from '../helpers/localAws.js';
import { captureLogs, expectLogged } from '../helpers/logs.js';
import { countPuts } from '../helpers/testPublisher.js';

/** The regeneration Lambda's handler on Lambda-shaped stream events, against DynamoDB Local and s3rver. */
describe('regeneration handler', () => {
  const config = testConfig();
  const clients = localClients();
  const puts = countPuts(clients.s3);
  let deps: CoordinatedPublishingDeps;
  let failBusinessUploads = false;

  beforeAll(async () => {
    const table = uniqueName('regen');
    await createArticleTable(clients.dynamo, table);
    const bucket = await createTestBucket(clients.s3, 'regen');
    // Fault injection on the real client: S3 refuses writes under feeds/business/ while the flag is set.
    clients.s3.middlewareStack.add(
      (next, context) => async (args) => {
        const key = (args.input as { Key?: string }).Key ?? '';
        if (failBusinessUploads && context.commandName === 'PutObjectCommand' && key.startsWith('feeds/business/')) {
          throw Object.assign(new Error('injected S3 failure'), { name: 'ServiceUnavailable' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failBusiness' },
    );
    deps = createPublishingDeps(clients, { config, tableName: table, bucket, feedBaseUrl: 'https://feeds.test.example', leaseTtlMs: 10_000, maxWaitMs: 10_000, archive: false });
    const { store } = deps;
    const validator = new ArticleValidator(config);
    for (const [id, section] of [['int-1', 'International'], ['biz-1', 'Business']]) {
      const parsed = validator.parse(articleRecord({ id, section }));
      if (!parsed.ok) throw new Error('bad fixture');
      await store.put(parsed.article);
    }
  });
  afterAll(() => {
    failBusinessUploads = false;
  });
  /** Stores a new version of a fixture article, so that every feed it is in changes. */
  const retitle = async (id: string, title: string) => deps.store.put({ ...(await deps.store.get(id))!.article, title, updatedAt: new Date().toISOString() });

  it('renders each touched section once per batch, however many records touch it', async () => {
    const handler = createRegenerateHandler(() => deps);
    puts.length = 0;
    const records = [
      ...Array.from({ length: 5 }, (_, i) => articleStreamRecord({ id: `int-${i}`, newSection: 'international' })),
      articleStreamRecord({ id: 'moved', oldSection: 'international', newSection: 'business' }),
      articleStreamRecord({ id: 'elsewhere', newSection: 'not-configured' }),
    ];
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    const feedPuts = () => puts.filter((key) => /^feeds\/[^/]+\/(rss\.xml|atom\.xml|feed\.json)$/.test(key)).sort();
    expect(puts).toContain('feeds/international/index.html');
    expect(feedPuts()).toEqual(
      ['business', 'international'].flatMap((s) => [`feeds/${s}/atom.xml`, `feeds/${s}/feed.json`, `feeds/${s}/rss.xml`]),
    );
    puts.length = 0;
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(puts).toEqual([]); // same state: same bytes, nothing uploaded, not even the pages
  });

  it('reports only the records of a failing section as batch item failures', async () => {
    const handler = createRegenerateHandler(() => deps);
    await retitle('biz-1', 'Changed');
    const international = articleStreamRecord({ id: 'int-1', newSection: 'international', sequenceNumber: '100' });
    const business = articleStreamRecord({ id: 'biz-1', oldSection: 'business', newSection: 'business', sequenceNumber: '200' });
    failBusinessUploads = true;
    const logs = captureLogs();
    const response = await handler({ Records: [international, business] });
    failBusinessUploads = false;
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '200' }] });
    // One error line, for the failing feed only.
    expectLogged(logs, 'regeneration failed', { level: 'error', feed: 'section/business', failedRecords: ['200'], error: { name: 'ServiceUnavailable' } });
    expect(logs.lines.filter((l) => l.entry?.['level'] === 'error')).toHaveLength(1);
    logs.restore();
    expect(await handler({ Records: [business] })).toEqual({ batchItemFailures: [] });
  });

  it('publishes the configured feeds of a batch before its automatic tag and author feeds, even when one fails', async () => {
    const handler = createRegenerateHandler(() => deps);
    for (const id of ['int-1', 'biz-1']) await retitle(id, `Retitled ${id}`);
    const automatic = { feedTags: ['test-tag'], feedAuthors: ['test-desk'] };
    const international = articleStreamRecord({ id: 'int-1', oldSection: 'international', newSection: 'international', sequenceNumber: '300', ...automatic });
    const business = articleStreamRecord({ id: 'biz-1', oldSection: 'business', newSection: 'business', sequenceNumber: '400', ...automatic });
    puts.length = 0;
    failBusinessUploads = true;
    const logs = captureLogs();
    const response = await handler({ Records: [international, business] });
    failBusinessUploads = false;
    logs.restore();
    // The business section failed and is retried; the tag and author feeds went out after the international section.
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '400' }] });
    const sectionPuts = puts.map((key, i) => ({ key, i })).filter(({ key }) => /^(feeds|partners)\/international\//.test(key));
    const automaticPuts = puts.map((key, i) => ({ key, i })).filter(({ key }) => /^feeds\/(tags\/test-tag|authors\/test-desk)\//.test(key));
    expect(sectionPuts.map((p) => p.key)).toContain('feeds/international/feed.json');
    expect(automaticPuts.map((p) => p.key)).toEqual(expect.arrayContaining(['feeds/tags/test-tag/feed.json', 'feeds/authors/test-desk/feed.json']));
    expect(Math.min(...automaticPuts.map((p) => p.i))).toBeGreaterThan(Math.max(...sectionPuts.map((p) => p.i)));
  });

  it('lets the automatic feeds wait for a lease only as long as the time left once the configured ones are out', async () => {
    const handler = createRegenerateHandler(() => deps);
    await retitle('int-1', 'Retitled again');
    // Another invocation holds the tag feed's lease and never finishes.
    expect(await deps.state.acquire('tag/test-tag', 'stuck-invocation', Date.now(), 600_000)).toBeDefined();
    // 60 s left when the batch starts (a 10 s lease wait allowed: the deps' maxWaitMs), 10 s once the section is out: no wait left.
    let calls = 0;
    const context = { getRemainingTimeInMillis: () => (calls++ === 0 ? 60_000 : 10_000) };
    const record = articleStreamRecord({ id: 'int-1', oldSection: 'international', newSection: 'international', sequenceNumber: '500', feedTags: ['test-tag'], feedAuthors: ['test-desk'] });
    puts.length = 0;
    const logs = captureLogs();
    const response = await handler({ Records: [record] }, context);
    logs.restore();
    await deps.state.release('tag/test-tag', 'stuck-invocation');
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '500' }] });
    expect(puts).toEqual(expect.arrayContaining(['feeds/international/feed.json', 'feeds/authors/test-desk/feed.json']));
    expect(puts.filter((key) => key.startsWith('feeds/tags/test-tag/'))).toEqual([]);
    const busy = logs.lines.find((l) => l.entry?.['feed'] === 'tag/test-tag')?.entry?.['error'] as { name: string; message: string };
    expect(busy.name).toBe('FeedBusyError');
    // Gave up at once (the 10 s it could have waited with the batch's first deadline are not taken).
    expect(Number(/for (\d+) ms/.exec(busy.message)?.[1])).toBeLessThan(5_000);
  });
});
