import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { sectionTarget } from '../../lambdas/core/feeds/index.js';
import { publishFeed, publishSiteDocuments } from '../../lambdas/core/publish/index.js';
import { articleRecord, at } from '../helpers/factories.js';
import { countCalls, recordUploads } from '../helpers/faults.js';
import { freshPublishingDeps } from '../helpers/publishingDeps.js';

/**
 * Issue 14 item 2: what was last published is a manifest of content hashes on the feed's state
 * item, written with markPublished. A regeneration PUTs exactly the documents whose hash changed and
 * reads nothing from S3; counted with middleware on the real S3 client.
 */
describe('published manifest instead of a HEAD per document', () => {
  async function setup() {
    const fresh = await freshPublishingDeps();
    const s3Reads = ['HeadObjectCommand', 'GetObjectCommand', 'ListObjectsV2Command'].map((c) => countCalls(fresh.clients.s3, c));
    const deletes = countCalls(fresh.clients.s3, 'DeleteObjectCommand');
    const uploads = recordUploads(fresh.clients.s3);
    const target = sectionTarget(fresh.config, 'international');
    const reads = () => s3Reads.reduce((sum, c) => sum + c.count, 0);
    return { ...fresh, target, uploads, deletes, reads };
  }

  it('a first render PUTs every document and no HEAD; an unchanged re-render PUTs nothing and reads nothing from S3', async () => {
    const { deps, store, article, target, uploads, reads, config } = await setup();
    await store.put(article(articleRecord({ id: 'one', publishedAt: at(0), updatedAt: at(0) })));
    await store.put(article(articleRecord({ id: 'two', publishedAt: at(1), updatedAt: at(1) })));
    const first = await publishFeed(target, deps);
    expect(first.outcome).toBe('published');
    const written = uploads.map((u) => u.key).sort();
    expect(written).toContain('feeds/international/atom.xml');
    expect(written).toContain('partners/international/ninjs/two.json');
    expect(reads()).toBe(0);
    const state = await deps.state.read(target.key);
    expect(Object.keys(state.manifest).sort()).toEqual(written);

    uploads.length = 0;
    const again = await publishFeed(target, deps);
    expect(again.outcome === 'published' && again.result.changedPaths).toEqual([]);
    expect(uploads).toEqual([]);
    expect(reads()).toBe(0);

    // One edit: exactly the documents that carry it are uploaded.
    await store.put(article(articleRecord({ id: 'one', title: 'Edited one', publishedAt: at(0), updatedAt: at(5) })));
    await publishFeed(target, deps);
    const changed = uploads.map((u) => u.key).sort();
    expect(changed).toContain('partners/international/ninjs/one.json');
    expect(changed).not.toContain('partners/international/ninjs/two.json');
    expect(reads()).toBe(0);
    expect(config.sections.length).toBeGreaterThan(1);
  });

  it('a retracted article\'s ninjs document is deleted and leaves the manifest', async () => {
    const { deps, store, article, target, deletes, clients, bucket } = await setup();
    await store.put(article(articleRecord({ id: 'stays', publishedAt: at(0), updatedAt: at(0) })));
    await store.put(article(articleRecord({ id: 'goes', publishedAt: at(1), updatedAt: at(1) })));
    await publishFeed(target, deps);
    await store.retract('goes', new Date(at(10)));
    await publishFeed(target, deps);
    expect(deletes.count).toBe(1);
    const { manifest } = await deps.state.read(target.key);
    expect(manifest['partners/international/ninjs/goes.json']).toBeUndefined();
    expect(manifest['partners/international/ninjs/stays.json']).toBeDefined();
    const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'partners/international/ninjs/' }));
    expect((listed.Contents ?? []).map((o) => o.Key)).toEqual(['partners/international/ninjs/stays.json']);
  });

  it('when a newer request arrives during a render, the holder re-renders and compares with what it just wrote', async () => {
    const { deps, store, article, target, uploads } = await setup();
    await store.put(article(articleRecord({ id: 'busy', publishedAt: at(0), updatedAt: at(0) })));
    let interrupted = false;
    const markPublished = deps.state.markPublished.bind(deps.state);
    const state = Object.assign(Object.create(deps.state) as typeof deps.state, {
      markPublished: async (...args: Parameters<typeof markPublished>) => {
        if (!interrupted) {
          interrupted = true;
          await deps.state.request(target.key); // a newer stream batch came in meanwhile (no change of content)
        }
        return markPublished(...args);
      },
    });
    const outcome = await publishFeed(target, { ...deps, state });
    expect(outcome.outcome === 'published' && outcome.renders).toBe(2);
    // The second render changed nothing, and compared with the first render's manifest: no re-upload.
    const keys = uploads.map((u) => u.key);
    expect(new Set(keys).size).toBe(keys.length);
    const published = await deps.state.read(target.key);
    expect(published.published).toBe(published.requested);
  });

  it('a holder that dies between PUT and markPublished only causes a re-PUT of the same bytes by the next one', async () => {
    const { deps, store, article, target, uploads, clients, bucket } = await setup();
    await store.put(article(articleRecord({ id: 'crash', title: 'Before crash', publishedAt: at(0), updatedAt: at(0) })));
    const dying = Object.assign(Object.create(deps.state) as typeof deps.state, {
      markPublished: async () => {
        throw new Error('function timed out (injected)');
      },
    });
    await expect(publishFeed(target, { ...deps, state: dying })).rejects.toThrow(/timed out/);
    const firstHashes = new Map(uploads.map((u) => [u.key, u.hash]));
    uploads.length = 0;
    const next = await publishFeed(target, deps);
    expect(next.outcome).toBe('published');
    for (const u of uploads) expect(firstHashes.get(u.key), u.key).toBe(u.hash);
    const atom = await (await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'feeds/international/atom.xml' }))).Body!.transformToString();
    expect(atom).toContain('Before crash');
    expect(Object.keys((await deps.state.read(target.key)).manifest).length).toBeGreaterThan(0);
  });

  it('site documents are written once per change of the list of feeds, with no S3 read', async () => {
    const { deps, uploads, reads } = await setup();
    const first = await publishSiteDocuments(deps);
    expect(first.sort()).toEqual(['feeds/feed.xsl', 'feeds/index.html', 'feeds/index.opml', 'robots.txt']);
    uploads.length = 0;
    expect(await publishSiteDocuments(deps)).toEqual([]);
    expect(uploads).toEqual([]);
    // A new feed in the configuration changes the index page and OPML; the stylesheet stays.
    const more = { ...deps, config: { ...deps.config, tagFeeds: [{ tag: 'Test tag', slug: 'test-tag', title: 'Test tag', description: 'Tagged.' }] } };
    expect((await publishSiteDocuments(more)).sort()).toEqual(['feeds/index.html', 'feeds/index.opml']);
    expect(reads()).toBe(0);
  });
});
