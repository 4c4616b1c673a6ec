import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Article } from '../../core/article/types.js';
import { forEachConcurrently } from '../../core/concurrency.js';
import { archiveIndexKey, archivePk, archiveSortKey, ARTICLE_PK_PREFIX, articleKey, feedStateKey, KEY, type ArchiveStore } from '../../core/storage/index.js';
import { decodeArticleDocument, DOC_ATTRIBUTE, encodeArticleDocument } from './articleDocument.js';
import { fromArticleItem } from './dynamoArticleRepository.js';

/**
 * The archive projection: every article published in a section, each in a fixed slot. Maintained
 * from stream records by the regeneration function (which may write only STATE# and ARCHIVE*
 * partitions), always from the article's current state, so replays and duplicates are harmless.
 */
export class DynamoArchiveStore implements ArchiveStore {
  private readonly doc: DynamoDBDocumentClient;
  constructor(
    client: DynamoDBClient,
    readonly tableName: string,
    readonly pageSize: number,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  pageOf(seq: number): number {
    return Math.floor(seq / this.pageSize);
  }

  /**
   * Brings the given articles' archive slots in line with their current state in a section: kept
   * (content refreshed) while an article is published there, given the next slot when it enters,
   * removed when it is retracted or moves away (or is scheduled: its instant not yet reached at
   * `asOf`). Returns the pages whose content changed, sorted. Batched, with the outcome of
   * reconciling the articles one after another: every article and its slot are read in one
   * consistent BatchGetItem per 50 articles; entering articles take consecutive slots in the order
   * given (one counter increment for all); slots are then written and removed, IN_FLIGHT at a time,
   * and a departing article's index entry only after its slot is gone.
   */
  async reconcile(sectionSlug: string, feedKey: string, articleIds: readonly string[], asOf: Date): Promise<number[]> {
    const ids = [...new Set(articleIds)];
    const found = await this.readArticlesAndSlots(sectionSlug, ids);
    const pages = new Set<number>();
    const slotWrites = new Map<number, SlotWrite>();
    const leaving: string[] = [];
    const entering: { id: string; article: Article }[] = [];
    for (const id of ids) {
      const { article, seq } = found.get(id) ?? {};
      // A scheduled article enters the archive at its publication instant, not before: no slot, no page change.
      const belongs = article?.status === 'published' && article.sectionSlug === sectionSlug && Date.parse(article.publishedAt) <= asOf.getTime();
      if (seq !== undefined) pages.add(this.pageOf(seq));
      if (!belongs) {
        if (seq === undefined) continue;
        slotWrites.set(seq, { remove: this.slotKey(sectionSlug, seq) });
        leaving.push(id);
      } else if (seq !== undefined) slotWrites.set(seq, this.slotPut(sectionSlug, seq, article));
      else entering.push({ id, article });
    }
    const first = entering.length > 0 ? await this.takeSlots(feedKey, entering.length) : 0;
    await forEachConcurrently(entering, IN_FLIGHT, async ({ id, article }, j) => {
      const slot = first + j;
      try {
        await this.doc.send(
          new PutCommand({ TableName: this.tableName, Item: { ...archiveIndexKey(sectionSlug, id), seq: slot }, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': KEY.partition } }),
        );
      } catch (err) {
        // A concurrent run gave it a slot first (this one stays unused): reconcile it against that one.
        if (err instanceof ConditionalCheckFailedException) return void (await this.reconcile(sectionSlug, feedKey, [id], asOf)).forEach((p) => pages.add(p));
        throw err;
      }
      slotWrites.set(slot, this.slotPut(sectionSlug, slot, article));
      const page = this.pageOf(slot);
      pages.add(page);
      // Opening a new page gives the previous one its next-archive link.
      if (slot % this.pageSize === 0 && page > 0) pages.add(page - 1);
    });
    await this.write([...slotWrites.values()]);
    await this.write(leaving.map((id) => ({ remove: archiveIndexKey(sectionSlug, id) })));
    return [...pages].sort((a, b) => a - b);
  }

  /** Each article's current item and its slot in the section, by id (consistent reads). */
  private async readArticlesAndSlots(sectionSlug: string, ids: readonly string[]): Promise<Map<string, { article?: Article; seq?: number }>> {
    const found = new Map<string, { article?: Article; seq?: number }>(ids.map((id) => [id, {}]));
    for (let i = 0; i < ids.length; i += BATCH_GET_ARTICLES) {
      const keys = ids.slice(i, i + BATCH_GET_ARTICLES).flatMap((id) => [articleKey(id), archiveIndexKey(sectionSlug, id)]);
      for (const item of await this.batchGet(keys)) {
        const pk = String(item[KEY.partition]);
        if (pk.startsWith(ARTICLE_PK_PREFIX)) {
          const entry = found.get(pk.slice(ARTICLE_PK_PREFIX.length));
          if (entry) entry.article = fromArticleItem(item).article;
        } else {
          const entry = found.get(String(item[KEY.sort]));
          if (entry) entry.seq = Number(item['seq']);
        }
      }
    }
    return found;
  }

  /** The articles of one page, in slot order (the renderer orders them by publication). */
  async readPage(sectionSlug: string, page: number): Promise<Article[]> {
    const { Items = [] } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': KEY.partition, '#sk': KEY.sort },
        ExpressionAttributeValues: { ':pk': archivePk(sectionSlug), ':from': archiveSortKey(page * this.pageSize), ':to': archiveSortKey(page * this.pageSize + this.pageSize - 1) },
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => decodeArticleDocument(item));
  }

  private slotKey(sectionSlug: string, seq: number) {
    return { [KEY.partition]: archivePk(sectionSlug), [KEY.sort]: archiveSortKey(seq) };
  }

  private slotPut(sectionSlug: string, seq: number, article: Article): SlotWrite {
    return { put: { ...this.slotKey(sectionSlug, seq), id: article.id, [DOC_ATTRIBUTE]: encodeArticleDocument(article) } };
  }

  /** Hands out `count` consecutive slots from a counter on the feed's state item (0, 1, 2, …); returns the first. */
  private async takeSlots(feedKey: string, count: number): Promise<number> {
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: feedStateKey(feedKey),
        UpdateExpression: 'ADD archiveNext :n',
        ExpressionAttributeValues: { ':n': count },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.['archiveNext']) - count;
  }

  private async batchGet(keys: Record<string, string>[]): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let pending: Record<string, unknown>[] = keys;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await backOff(attempt, 'BatchGetItem');
      const { Responses, UnprocessedKeys } = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }));
      items.push(...(Responses?.[this.tableName] ?? []));
      pending = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return items;
  }

  /** Single-item writes, IN_FLIGHT at a time: the function's role grants no batch writes (each write's key is checked by IAM). */
  private async write(writes: readonly SlotWrite[]): Promise<void> {
    await forEachConcurrently(writes, IN_FLIGHT, async (write) => {
      if ('put' in write) await this.doc.send(new PutCommand({ TableName: this.tableName, Item: write.put }));
      else await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: write.remove }));
    });
  }
}

/** One single-item write of the projection: an item put, or a key deleted. */
type SlotWrite = { put: Record<string, unknown> } | { remove: Record<string, unknown> };

/** Articles per BatchGetItem: two keys each (the article, its slot index), 100 keys at most. */
const BATCH_GET_ARTICLES = 50;
const IN_FLIGHT = 8;
const MAX_ATTEMPTS = 8;

/** Unprocessed keys (throttling): retried with exponential back-off, as the SDK does for whole calls. */
async function backOff(attempt: number, call: string): Promise<void> {
  if (attempt >= MAX_ATTEMPTS) throw new Error(`${call}: items still unprocessed after ${MAX_ATTEMPTS} attempts`);
  await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
}
