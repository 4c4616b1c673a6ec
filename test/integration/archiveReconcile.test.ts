import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoArchiveStore } from '../../lambdas/adapters/aws/dynamoArchiveStore.js';
import { sectionTarget } from '../../lambdas/core/feeds/index.js';
import { reconcileArchive } from '../../lambdas/core/publish/index.js';
import { feedStateKey, KEY } from '../../lambdas/core/storage/index.js';
import { articleRecord, at } from '../helpers/factories.js';
import { countCalls } from '../helpers/faults.js';
import { freshPublishingDeps } from '../helpers/publishingDeps.js';

const PAGE_SIZE = 10;
const AS_OF = new Date(at(1000));
const clock = { now: () => AS_OF };

/** A table with 30 archived articles (slots 0–29, taken one at a time), then changes to them and 45 new ones. */
async function changedTable() {
  const fresh = await freshPublishingDeps();
  const archive = new DynamoArchiveStore(fresh.clients.dynamo, fresh.table, PAGE_SIZE);
  const target = sectionTarget(fresh.config, 'international');
  const put = (id: string, overrides: Record<string, unknown> = {}) => fresh.store.put(fresh.article(articleRecord({ id, title: `Story ${id}`, summary: `Summary of ${id}.`, contentHtml: `<p>Body of ${id}.</p>`, publishedAt: at(Number(id.slice(2))), updatedAt: at(Number(id.slice(2))), ...overrides })));
  for (let i = 0; i < 30; i++) {
    await put(`s-${i}`);
    await archive.reconcile(target.slug, target.key, [`s-${i}`], AS_OF);
  }
  for (let i = 0; i < 10; i++) await put(`s-${i}`, { summary: `Edited summary ${i}.`, updatedAt: at(500 + i) }); // edits
  for (const i of [10, 11, 12]) await fresh.store.retract(`s-${i}`, new Date(at(600))); // retractions
  for (const i of [13, 14]) await put(`s-${i}`, { section: 'Business', updatedAt: at(600) }); // moved away
  for (let i = 30; i < 75; i++) await put(`s-${i}`, i % 9 === 0 ? { publishedAt: at(2000 + i), updatedAt: at(2000 + i) } : {}); // new; every ninth scheduled after AS_OF
  return { ...fresh, archive, target };
}

/** The archive projection as DynamoDB holds it: slot index, slots (id and stored bytes), the slot counter. */
async function projection(fresh: Awaited<ReturnType<typeof changedTable>>) {
  const query = async (pk: string) =>
    (await fresh.clients.dynamo.send(new QueryCommand({ TableName: fresh.table, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': KEY.partition }, ExpressionAttributeValues: { ':pk': { S: pk } }, ConsistentRead: true }))).Items ?? [];
  const index = (await query('ARCHIVEIDX#international')).map((i) => [i[KEY.sort]?.S, i['seq']?.N]);
  const slots = (await query('ARCHIVE#international')).map((i) => [i[KEY.sort]?.S, i['id']?.S, Buffer.from(i['docz']?.B ?? new Uint8Array()).toString('base64')]);
  const { Item } = await fresh.clients.dynamo.send(new GetItemCommand({ TableName: fresh.table, Key: { pk: { S: String(feedStateKey(fresh.target.key)['pk']) }, sk: { S: String(feedStateKey(fresh.target.key)['sk']) } }, ConsistentRead: true }));
  return { index, slots, archiveNext: Item?.['archiveNext']?.N };
}

describe('archive reconciliation, batched', () => {
  // Edits, retractions, moves, new and scheduled articles, an unknown id and a duplicate: 77 ids, more than a BatchGetItem or BatchWriteItem takes.
  const ids = [...Array.from({ length: 75 }, (_, i) => `s-${74 - i}`), 'never-stored', 's-40'];

  it('gives the pages and slots of reconciling the articles one after another, in a few batched calls', async () => {
    const batched = await changedTable();
    const oneByOne = await changedTable();
    const deleted: string[] = [];
    const keyOf = (input: { Key: Record<string, { S?: string } | string> }) => ['pk', 'sk'].map((k) => { const v = input.Key[k]; return typeof v === 'string' ? v : v?.S; }).join(' ');
    const calls = {
      deleteOrder: countCalls(batched.clients.dynamo, 'DeleteItemCommand', (input) => deleted.push(keyOf(input)) > 0),
      gets: countCalls(batched.clients.dynamo, 'GetItemCommand'),
      puts: countCalls(batched.clients.dynamo, 'PutItemCommand'),
      batchGets: countCalls(batched.clients.dynamo, 'BatchGetItemCommand'),
      deletes: countCalls(batched.clients.dynamo, 'DeleteItemCommand'),
      batchWrites: countCalls(batched.clients.dynamo, 'BatchWriteItemCommand'),
      counter: countCalls(batched.clients.dynamo, 'UpdateItemCommand'),
    };
    const pages = await reconcileArchive(batched.target, ids, { archive: batched.archive, clock });
    const made = Object.fromEntries(Object.entries(calls).map(([k, c]) => [k, c.count]));

    const expected = new Set<number>();
    for (const id of new Set(ids)) for (const p of await oneByOne.archive.reconcile(oneByOne.target.slug, oneByOne.target.key, [id], AS_OF)) expected.add(p);
    expect(pages).toEqual([...expected].sort((a, b) => a - b));
    // Slots 0-29 were taken; 40 new published articles take 30-69, newest-first as listed: pages 0-6 (opening 3 to 6).
    expect(pages).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // A departing article's index entry goes only after its slot (a run that dies in between finds the index and removes the slot again).
    expect(deleted.slice(0, 5).every((k) => k.startsWith('ARCHIVE#international '))).toBe(true);
    expect(deleted.slice(5).sort()).toEqual(['s-10', 's-11', 's-12', 's-13', 's-14'].map((id) => `ARCHIVEIDX#international ${id}`));
    const [got, want] = await Promise.all([projection(batched), projection(oneByOne)]);
    expect(got).toEqual(want);
    expect(got.archiveNext).toBe('70');
    expect(got.index).toContainEqual(['s-74', '30']); // the first listed entering article takes the first new slot
    expect(got.index.map(([id]) => id)).not.toContain('s-10');
    expect(got.index.map(([id]) => id)).not.toContain('s-13');
    expect(got.index.map(([id]) => id)).not.toContain('s-72'); // scheduled after AS_OF: no slot yet

    // Two BatchGetItems (50 articles each), one counter increment, the new slots' index entries, then the slots
    // (25 kept, 5 removed, 40 new) and the removed ones' index entries, item by item (no batch writes: see the stack's IAM).
    expect(made).toEqual({ deleteOrder: 10, gets: 0, batchGets: 2, counter: 1, puts: 40 + 25 + 40, deletes: 5 + 5, batchWrites: 0 });
  });

  it('is idempotent: reconciling the same articles again changes no slot', async () => {
    const fresh = await changedTable();
    await reconcileArchive(fresh.target, ids, { archive: fresh.archive, clock });
    const before = await projection(fresh);
    const pages = await reconcileArchive(fresh.target, ids, { archive: fresh.archive, clock });
    expect(await projection(fresh)).toEqual(before);
    expect(pages).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
