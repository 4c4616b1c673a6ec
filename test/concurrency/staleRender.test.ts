import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createRegenerateHandler } from '../../lambdas/handlers/regenerate.js';
import { articleRecord, articleStreamRecord, at } from '../helpers/factories.js';
import { injectFault } from '../helpers/faults.js';
import { freshPublishingDeps } from '../helpers/publishingDeps.js';

/**
 * Guarantee 1, the exact interleaving: regeneration X reads the section, then its uploads stall;
 * meanwhile the article changes and regeneration Y (another shard's invocation) runs to the end.
 * X's uploads must not leave the older rendering published over Y's newer one.
 */
describe('a slow, older regeneration', () => {
  it('never publishes its stale rendering over a newer one', async () => {
    const { clients, deps, store, article, bucket } = await freshPublishingDeps();
    const handler = createRegenerateHandler(() => deps);
    await store.put(article(articleRecord({ id: 'contested', title: 'Old title', publishedAt: at(0), updatedAt: at(0) })));

    // Uploads carrying the old title take 400 ms: X's window between reading and publishing.
    injectFault(clients.s3, { command: 'PutObjectCommand', when: (input) => String(input.Body).includes('Old title'), delayMs: 400 });
    const x = handler({ Records: [articleStreamRecord({ id: 'contested', newSection: 'international' })] });
    await new Promise((r) => setTimeout(r, 100)); // X has read the old state and is uploading

    await store.put(article(articleRecord({ id: 'contested', title: 'New title', publishedAt: at(0), updatedAt: at(1) })));
    const y = await handler({ Records: [articleStreamRecord({ id: 'contested', oldSection: 'international', newSection: 'international' })] });
    expect(y).toEqual({ batchItemFailures: [] });
    expect(await x).toEqual({ batchItemFailures: [] });

    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `feeds/international/${file}` }));
      const body = await object.Body!.transformToString();
      expect(body).toContain('New title');
      expect(body).not.toContain('Old title');
    }
  });
});
