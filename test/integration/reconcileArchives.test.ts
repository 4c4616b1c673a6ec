import { DeleteItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY } from '../../lambdas/core/storage/index.js';
import { reconcileArchives } from '../../operator/reconcileArchives.js';
import { articleRecord, at } from '../helpers/factories.js';
import { localClients } from '../helpers/localAws.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';

const { dynamo } = localClients();

/** The archive projection's items of a section (slots and their index), as DynamoDB holds them. */
async function archiveItems(p: TestPublisher, prefix: 'ARCHIVE' | 'ARCHIVEIDX') {
  const table = p.tableName;
  const { Items = [] } = await dynamo.send(
    new QueryCommand({ TableName: table, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': KEY.partition }, ExpressionAttributeValues: { ':pk': { S: `${prefix}#international` } } }),
  );
  return Items;
}

describe('reconcileArchives: the archive projection rebuilt from the table after lost stream records', () => {
  let p: TestPublisher;
  beforeAll(async () => {
    p = await startTestPublisher();
  });
  afterAll(() => p.close());

  it('gives every published article its archive slot again, through the regeneration, and is idempotent', async () => {
    const ids = ['kept-one', 'lost-one', 'lost-two'];
    for (const [i, id] of ids.entries()) {
      expect((await p.post(articleRecord({ id, title: `Story ${id}`, publishedAt: at(i), updatedAt: at(i) }))).status).toBe(200);
    }
    await p.poller.settle();
    // What a DynamoDB Local restart left behind: the articles are stored, their archive slots are not.
    const table = p.tableName;
    for (const item of [...(await archiveItems(p, 'ARCHIVE')), ...(await archiveItems(p, 'ARCHIVEIDX'))]) {
      if (item['id']?.S === 'kept-one' || item[KEY.sort]?.S === 'kept-one') continue;
      await dynamo.send(new DeleteItemCommand({ TableName: table, Key: { [KEY.partition]: item[KEY.partition]!, [KEY.sort]: item[KEY.sort]! } }));
    }
    expect((await p.publishingDeps.archive!.readPage('international', 0)).map((a) => a.id)).toEqual(['kept-one']);

    const report = await reconcileArchives(dynamo, table, p.regenerate);
    expect(report).toEqual({ articles: 3, batches: 1, failed: [] });
    expect((await p.publishingDeps.archive!.readPage('international', 0)).map((a) => a.id).sort()).toEqual([...ids].sort());
    const page = await (await fetch(`${p.url}/feeds/international/archive/atom-0.xml`)).text();
    for (const id of ids) expect(page).toContain(`Story ${id}`);

    const slotsBefore = (await archiveItems(p, 'ARCHIVEIDX')).map((i) => [i[KEY.sort]?.S, i['seq']?.N]);
    expect(await reconcileArchives(dynamo, table, p.regenerate, 2)).toEqual({ articles: 3, batches: 2, failed: [] });
    expect((await archiveItems(p, 'ARCHIVEIDX')).map((i) => [i[KEY.sort]?.S, i['seq']?.N])).toEqual(slotsBefore);
  });
});
