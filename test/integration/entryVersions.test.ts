import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoArticleRepository } from '../../lambdas/adapters/aws/dynamoArticleRepository.js';
import { ArticleValidator, type Article } from '../../lambdas/core/article/index.js';
import { entryVersion, sectionPk } from '../../lambdas/core/storage/index.js';
import { articleRecord, at, testConfig } from '../helpers/factories.js';
import { createTestTable, localClients } from '../helpers/localAws.js';

/** The look a render catching up takes (regenerateFeed): the entries' versions, read the way readEntries reads them. */
describe('feed entry versions on DynamoDB Local', () => {
  const { dynamo } = localClients();
  let store: DynamoArticleRepository;
  const validator = new ArticleValidator(testConfig());
  const article = (n: number, updated = n, published = n): Article => {
    const result = validator.parse(articleRecord({ id: `v-${n}`, publishedAt: at(published), updatedAt: at(updated) }));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.article;
  };
  const partition = sectionPk('international');
  const asOf = new Date(at(1_000));
  beforeAll(async () => {
    const table = await createTestTable(dynamo, 'versions');
    store = new DynamoArticleRepository(dynamo, table.tableName);
    for (const a of [article(1), article(2), article(3), article(4, 2_000, 2_000)]) expect(await store.put(a)).toBe('stored');
  });

  it('gives the same versions as the full read, newest first, scheduled entries left out of both', async () => {
    const read = await store.readEntries(partition, 10, asOf);
    expect(read.articles.map((a) => a.id)).toEqual(['v-3', 'v-2', 'v-1']);
    expect(read.versions).toEqual(read.articles.map((a) => entryVersion(a.id, Date.parse(a.updatedAt))));
    expect(await store.readEntryVersions(partition, 10, asOf)).toEqual(read.versions);
    expect(await store.readEntryVersions(partition, 2, asOf)).toEqual(read.versions.slice(0, 2));
  });

  it('moves with a new version, a retraction and an instant that makes the scheduled one visible', async () => {
    const before = await store.readEntryVersions(partition, 10, asOf);
    expect(await store.put(article(2, 50))).toBe('stored');
    const edited = await store.readEntryVersions(partition, 10, asOf);
    expect(edited).not.toEqual(before);
    expect(edited[1]).toBe(entryVersion('v-2', Date.parse(at(50))));
    expect(await store.retract('v-1', new Date(at(60)))).toBe('retracted');
    expect(await store.readEntryVersions(partition, 10, asOf)).toEqual(edited.slice(0, 2));
    expect((await store.readEntryVersions(partition, 10, new Date(at(3_000))))[0]).toBe(entryVersion('v-4', Date.parse(at(2_000))));
  });
});
