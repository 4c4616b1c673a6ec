import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { sectionTarget } from '../../lambdas/core/feeds/index.js';
import { renderFeedDocuments } from '../../lambdas/core/render/index.js';
import { createRegenerateHandler } from '../../lambdas/handlers/regenerate.js';
import { articleRecord, articleStreamRecord, at } from '../helpers/factories.js';
import { assertWellFormedXml } from '../helpers/feedChecks.js';
import { injectFault, recordUploads, serviceUnavailable, throttled, timedOut, type Fault } from '../helpers/faults.js';
import { captureLogs, expectLogged } from '../helpers/logs.js';
import { freshPublishingDeps } from '../helpers/publishingDeps.js';

const FILES = ['rss.xml', 'atom.xml', 'feed.json'] as const;

/**
 * Guarantee 6: S3 or DynamoDB failing mid-regeneration leaves each published document old-and-valid
 * or new-and-valid; the failed batch is reported for retry, and the retry converges.
 */
describe('faults during regeneration', () => {
  async function scenario(target: 'dynamo' | 's3', fault: Omit<Fault, 'when'>, when: Fault['when']) {
    const setup = await freshPublishingDeps();
    const uploads = recordUploads(setup.clients.s3);
    const { clients, deps, store, article, bucket, config } = setup;
    const handler = createRegenerateHandler(() => deps);
    const event = () => ({ Records: [articleStreamRecord({ id: 'faulty', oldSection: 'international', newSection: 'international', sequenceNumber: '42' })] });
    const v1 = article(articleRecord({ id: 'faulty', title: 'Version one', publishedAt: at(0), updatedAt: at(0) }));
    await store.put(v1);
    expect(await handler(event())).toEqual({ batchItemFailures: [] });

    const v2 = article(articleRecord({ id: 'faulty', title: 'Version two', publishedAt: at(0), updatedAt: at(1) }));
    await store.put(v2);
    const injected = injectFault(target === 's3' ? clients.s3 : clients.dynamo, { ...fault, when });
    const logs = captureLogs();
    expect(await handler(event())).toEqual({ batchItemFailures: [{ itemIdentifier: '42' }] });
    expect(injected.hits).toBeGreaterThan(0);
    // The failure is logged once, naming the feed, the records to retry and the injected error.
    expectLogged(logs, 'regeneration failed', { level: 'error', feed: 'section/international', failedRecords: ['42'], error: { name: fault.error!().name } });
    expect(logs.messages().filter((m) => m === 'regeneration failed')).toHaveLength(1);
    logs.restore();

    const read = async () =>
      Promise.all(FILES.map(async (f) => (await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `feeds/international/${f}` }))).Body!.transformToString()));
    const render = (a: typeof v1) => {
      const docs = renderFeedDocuments(config, sectionTarget(config, 'international'), deps.feedBaseUrl, [a]);
      return FILES.map((f) => docs.find((d) => d.path === `feeds/international/${f}`)!.body);
    };
    const old = render(v1);
    const fresh = render(v2);
    const during = await read();
    during.forEach((body, i) => {
      expect([old[i], fresh[i]]).toContain(body); // whole old or whole new, never a part
      if (i < 2) assertWellFormedXml(body);
    });

    injected.disable();
    expect(await handler(event())).toEqual({ batchItemFailures: [] }); // the retry
    expect(await read()).toEqual(fresh);
    return { ...setup, uploads };
  }

  it('S3 refusing the second upload (rss written, atom not): mixed only until the retry', async () => {
    let puts = 0;
    await scenario('s3', { command: 'PutObjectCommand', error: serviceUnavailable }, () => ++puts >= 2);
  });

  it('S3 timing out on every upload', async () => {
    await scenario('s3', { command: 'PutObjectCommand', delayMs: 50, error: timedOut }, () => true);
  });

  it('DynamoDB throttling the section read', async () => {
    await scenario('dynamo', { command: 'QueryCommand', error: throttled }, () => true);
  });

  it('DynamoDB failing after the upload, when marking the section published', async () => {
    const { cdn, uploads } = await scenario(
      'dynamo',
      { command: 'UpdateItemCommand', error: serviceUnavailable },
      (input) => String(input.UpdateExpression).startsWith('SET published'),
    );
    // The failed run's manifest was never recorded, so the retry compares with the one before and
    // re-PUTs (and re-invalidates) the very bytes the failed run wrote: harmless, and no HEAD to find out.
    expect(cdn.paths.filter((p) => p === 'feeds/international/rss.xml')).toHaveLength(3);
    const rssUploads = uploads.filter((u) => u.key === 'feeds/international/rss.xml').map((u) => u.hash);
    expect(rssUploads).toHaveLength(3);
    expect(rssUploads[2]).toBe(rssUploads[1]);
    expect(rssUploads[1]).not.toBe(rssUploads[0]);
  });
});
