import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { BURST_CHANGES } from '../../lambdas/core/publish/index.js';
import { createRegenerateHandler } from '../../lambdas/handlers/regenerate.js';
import { articleRecord, articleStreamRecord, at } from '../helpers/factories.js';
import { injectFault, recordUploads } from '../helpers/faults.js';
import { freshPublishingDeps } from '../helpers/publishingDeps.js';

/**
 * A change stored while a render writes its subscription feeds (after its read): in a batch that
 * brings the feed a burst of changes, the render catches up with it in the same invocation; one
 * change at a time, it waits for its own batch. Either way the next batch leaves nothing to upload.
 */
describe('a render catching up with a change stored while it writes', () => {
  async function run(batchSize: number) {
    const { clients, deps, store, article, bucket } = await freshPublishingDeps();
    const handler = createRegenerateHandler(() => deps);
    const ids = Array.from({ length: batchSize }, (_, i) => `burst-${i}`);
    for (const [i, id] of ids.entries()) expect(await store.put(article(articleRecord({ id, title: `Story ${i}`, publishedAt: at(i), updatedAt: at(i) })))).toBe('stored');
    // An edit of the newest article (the test configuration's feeds hold 5 items).
    const newest = batchSize - 1;
    const late = article(articleRecord({ id: `burst-${newest}`, title: 'Late title', publishedAt: at(newest), updatedAt: at(100) }));
    let stored: Promise<unknown> | undefined;
    // The render's first upload of the JSON feed: the late change is stored now (after its read), and the upload takes 300 ms.
    injectFault(clients.s3, {
      command: 'PutObjectCommand',
      when: (input: { Key?: string }) => input.Key === 'feeds/international/feed.json' && stored === undefined && Boolean((stored = store.put(late))),
      delayMs: 300,
    });
    const batch = ids.map((id, i) => articleStreamRecord({ id, newSection: 'international', sequenceNumber: String(100 + i) }));
    expect(await handler({ Records: batch })).toEqual({ batchItemFailures: [] });
    expect(await stored).toBe('stored');
    const read = async (key: string) => (await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
    const published = Object.fromEntries(await Promise.all(['rss.xml', 'atom.xml', 'feed.json', 'index.html'].map(async (f) => [f, (await read(`feeds/international/${f}`)).includes('Late title')])));
    // The late change's own batch: whatever the first invocation left, it brings every document up to date.
    const uploads = recordUploads(clients.s3);
    const next = [articleStreamRecord({ id: `burst-${newest}`, oldSection: 'international', newSection: 'international', sequenceNumber: '999' })];
    expect(await handler({ Records: next })).toEqual({ batchItemFailures: [] });
    for (const f of ['rss.xml', 'atom.xml', 'feed.json', 'index.html']) expect(await read(`feeds/international/${f}`)).toContain('Late title');
    // The news sitemap is published on its own (it lists titles): only the section's documents count here.
    return { published, uploadsOfNextBatch: uploads.map((u) => u.key).filter((k) => !k.startsWith('sitemaps/')) };
  }

  it(`a batch of ${BURST_CHANGES} changes: the change is in every document when the invocation returns, and its own batch uploads none of the section's`, async () => {
    const { published, uploadsOfNextBatch } = await run(BURST_CHANGES);
    expect(published).toEqual({ 'rss.xml': true, 'atom.xml': true, 'feed.json': true, 'index.html': true });
    expect(uploadsOfNextBatch).toEqual([]);
  });

  it('a single change: the render reads once, and the change stored meanwhile is published by its own batch', async () => {
    const { published, uploadsOfNextBatch } = await run(1);
    expect(published).toEqual({ 'rss.xml': false, 'atom.xml': false, 'feed.json': false, 'index.html': false });
    expect(uploadsOfNextBatch).toEqual(expect.arrayContaining(['feeds/international/rss.xml', 'feeds/international/atom.xml', 'feeds/international/feed.json', 'feeds/international/index.html']));
  });
});
