import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { sectionTarget } from '../../lambdas/core/feeds/index.js';
import { publishFeed, publishSiteDocuments } from '../../lambdas/core/publish/index.js';
import { FEED_REGISTRY_PK, feedStateKey } from '../../lambdas/core/storage/index.js';
import { articleRecord, at } from '../helpers/factories.js';
import { countCalls } from '../helpers/faults.js';
import { freshPublishingDeps } from '../helpers/publishingDeps.js';

/** The partition key a (marshalled or native) input addresses. */
const pkOf = (input: { Key?: Record<string, unknown>; Item?: Record<string, unknown>; ExpressionAttributeValues?: Record<string, unknown> }) => {
  const value = (input.Key ?? input.Item)?.['pk'] ?? Object.values(input.ExpressionAttributeValues ?? {})[0];
  return typeof value === 'string' ? value : (value as { S?: string } | undefined)?.S;
};

/**
 * What a render writes to DynamoDB, on DynamoDB Local: two writes to the feed's state item when
 * nobody else holds its lease (requestAndAcquire, markPublished), a registry item only when what
 * it lists changed, the manifest packed, and the registry Queried for the site documents only when
 * an entry changed since they were last published.
 */
describe('feed state writes per render', () => {
  async function setup() {
    const fresh = await freshPublishingDeps();
    const target = sectionTarget(fresh.config, 'international');
    const statePk = feedStateKey(target.key)['pk'];
    const stateWrites = countCalls(fresh.clients.dynamo, 'UpdateItemCommand', (input) => pkOf(input) === statePk);
    const registryPuts = countCalls(fresh.clients.dynamo, 'PutItemCommand', (input) => pkOf(input) === FEED_REGISTRY_PK);
    const registryQueries = countCalls(fresh.clients.dynamo, 'QueryCommand', (input) => pkOf(input) === FEED_REGISTRY_PK);
    return { ...fresh, target, statePk, stateWrites, registryPuts, registryQueries };
  }

  it('an uncontended render writes its state item twice and leaves the lease free; the registry only when what it lists changed', async () => {
    const { deps, store, article, target, stateWrites, registryPuts } = await setup();
    await store.put(article(articleRecord({ id: 'one', publishedAt: at(0), updatedAt: at(0) })));
    expect((await publishFeed(target, deps)).outcome).toBe('published');
    expect(stateWrites.count).toBe(2);
    expect(registryPuts.count).toBe(1);
    const state = await deps.state.read(target.key);
    expect(state.leaseOwner).toBeUndefined();
    expect(state.published).toBe(state.requested);
    expect(state.listed).toMatch(/^[0-9a-f]{32}$/);

    // An edit that changes no listed field (title, description, item count): no registry write.
    await store.put(article(articleRecord({ id: 'one', title: 'Edited', publishedAt: at(0), updatedAt: at(1) })));
    await publishFeed(target, deps);
    expect(stateWrites.count).toBe(4);
    expect(registryPuts.count).toBe(1);

    // A second item: the registry says so.
    await store.put(article(articleRecord({ id: 'two', publishedAt: at(2), updatedAt: at(2) })));
    await publishFeed(target, deps);
    expect(registryPuts.count).toBe(2);
    expect((await deps.state.listFeeds()).find((f) => f.key === target.key)?.items).toBe(2);
  });

  it('a feed whose state predates the fingerprint writes its registry entry once', async () => {
    const { deps, store, article, target, registryPuts, clients, table, statePk } = await setup();
    await store.put(article(articleRecord({ id: 'one', publishedAt: at(0), updatedAt: at(0) })));
    // As an older version left it: published, a map manifest, no fingerprint, no registry entry.
    await clients.dynamo.send(new PutItemCommand({ TableName: table, Item: { pk: { S: statePk! }, sk: { S: 'STATE' }, requested: { N: '3' }, published: { N: '3' }, archiveNext: { N: '0' }, manifest: { M: { 'feeds/international/rss.xml': { S: 'f'.repeat(32) } } } } }));
    expect((await deps.state.read(target.key)).manifest).toEqual({ 'feeds/international/rss.xml': 'f'.repeat(32) });
    await publishFeed(target, deps);
    await publishFeed(target, deps);
    expect(registryPuts.count).toBe(1);
    expect((await deps.state.listFeeds()).map((f) => f.key)).toEqual([target.key]);
    const { Item } = await clients.dynamo.send(new GetItemCommand({ TableName: table, Key: { pk: { S: statePk! }, sk: { S: 'STATE' } }, ConsistentRead: true }));
    expect(Item?.['manifest']).toBeUndefined();
    expect(Item?.['manifestZ']?.B).toBeInstanceOf(Uint8Array);
    const manifest = (await deps.state.read(target.key)).manifest;
    expect(manifest['feeds/international/rss.xml']).toMatch(/^[0-9a-f]{32}$/);
    expect(manifest['feeds/international/rss.xml']).not.toBe('f'.repeat(32));
    // Packed: well under the bytes of the same entries as a map of strings.
    expect(Item!['manifestZ']!.B!.length).toBeLessThan(JSON.stringify(manifest).length / 2);
  });

  it('the site documents Query the registry only when an entry changed since they were last published', async () => {
    const { deps, store, article, target, registryQueries } = await setup();
    await store.put(article(articleRecord({ id: 'one', publishedAt: at(0), updatedAt: at(0) })));
    await publishFeed(target, deps);
    expect((await publishSiteDocuments(deps)).sort()).toEqual(['feeds/feed.xsl', 'feeds/index.html', 'feeds/index.opml', 'robots.txt']);
    expect(registryQueries.count).toBe(1);
    expect(await publishSiteDocuments(deps)).toEqual([]);
    expect(registryQueries.count).toBe(1);

    // A render that changes no registry entry: still no Query.
    await store.put(article(articleRecord({ id: 'one', title: 'Edited', publishedAt: at(0), updatedAt: at(1) })));
    await publishFeed(target, deps);
    expect(await publishSiteDocuments(deps)).toEqual([]);
    expect(registryQueries.count).toBe(1);

    // A new automatic feed in the registry: listed, so the index page and OPML change.
    await deps.state.recordFeed({ key: 'tag/energy', kind: 'tag', slug: 'energy', title: 'Energy', description: 'Tagged Energy.', basePath: 'feeds/tags/energy', items: 1 });
    expect((await publishSiteDocuments(deps)).sort()).toEqual(['feeds/index.html', 'feeds/index.opml']);
    expect(registryQueries.count).toBe(2);
    expect(await publishSiteDocuments(deps)).toEqual([]);
    expect(registryQueries.count).toBe(2);

    // An entry that changes nothing listed (a section's, listed from the configuration): one Query, nothing written, then none.
    await store.put(article(articleRecord({ id: 'two', publishedAt: at(2), updatedAt: at(2) })));
    await publishFeed(target, deps);
    expect(await publishSiteDocuments(deps)).toEqual([]);
    expect(registryQueries.count).toBe(3);
    expect(await publishSiteDocuments(deps)).toEqual([]);
    expect(registryQueries.count).toBe(3);
  });
});

/** The state store's lease steps on their own, on DynamoDB Local. */
const ms = (minutes: number) => Date.parse(at(minutes));

describe('requestAndAcquire and markPublished', () => {
  it('takes a free lease with the request in one write; a held one is left alone and nothing is written', async () => {
    const { deps } = await freshPublishingDeps();
    const key = 'section/international';
    const now = Date.now();
    const first = await deps.state.requestAndAcquire(key, 'a', now, 10_000, [2], ms(5));
    expect(first).toMatchObject({ requested: 1, published: 0, leaseOwner: 'a', dirtyPages: [2], newestChangeMs: ms(5) });
    expect(await deps.state.requestAndAcquire(key, 'b', now + 1, 10_000, [3], ms(9))).toBeUndefined();
    expect(await deps.state.read(key)).toMatchObject({ requested: 1, leaseOwner: 'a', dirtyPages: [2], newestChangeMs: ms(5) });

    // Marked published: the lease is released in the same write, the fingerprint kept.
    expect(await deps.state.markPublished(key, 'a', 1, [2], { 'feeds/x.xml': 'h1' }, 'fp1')).toBe(true);
    const marked = await deps.state.read(key);
    expect(marked).toMatchObject({ requested: 1, published: 1, dirtyPages: [], manifest: { 'feeds/x.xml': 'h1' }, listed: 'fp1' });
    expect(marked.leaseOwner).toBeUndefined();

    // A change older than the feed's newest: the lease is taken all the same, newestChangeMs does not go back.
    const older = await deps.state.requestAndAcquire(key, 'c', Date.now(), 10_000, [], ms(1));
    expect(older).toMatchObject({ requested: 2, leaseOwner: 'c', newestChangeMs: ms(5) });
    // A newer request meanwhile: not marked, the lease still ours, nothing else changed.
    await deps.state.request(key);
    expect(await deps.state.markPublished(key, 'c', 2, [], {}, 'fp2')).toBe(false);
    expect(await deps.state.read(key)).toMatchObject({ requested: 3, published: 1, leaseOwner: 'c', listed: 'fp1', manifest: { 'feeds/x.xml': 'h1' } });
  });

  it('takes over an expired lease', async () => {
    const { deps } = await freshPublishingDeps();
    const key = 'tag/energy';
    expect(await deps.state.requestAndAcquire(key, 'dead', Date.now() - 20_000, 10_000)).toMatchObject({ requested: 1, leaseOwner: 'dead' });
    expect(await deps.state.requestAndAcquire(key, 'next', Date.now(), 10_000)).toMatchObject({ requested: 2, leaseOwner: 'next' });
  });
});
