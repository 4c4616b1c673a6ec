import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Article } from '../../core/article/types.js';
import { archiveIndexKey, archivePk, archiveSortKey, articleKey, feedStateKey, KEY, type ArchiveOutcome, type ArchiveStore } from '../../core/storage/index.js';
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
   * Brings one article's archive slot in line with its current state in a section: kept (content
   * refreshed) while it is published there, given the next slot when it enters, removed when it is
   * retracted or moves away (or is scheduled: its instant not yet reached at `asOf`). Returns the pages whose content changed, and whether the article is
   * (no longer) in the section.
   */
  async reconcile(sectionSlug: string, feedKey: string, articleId: string, asOf: Date): Promise<ArchiveOutcome> {
    const [{ Item: articleItem }, { Item: index }] = await Promise.all([
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: articleKey(articleId), ConsistentRead: true })),
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: archiveIndexKey(sectionSlug, articleId), ConsistentRead: true })),
    ]);
    const article = articleItem ? fromArticleItem(articleItem).article : undefined;
    // A scheduled article enters the archive at its publication instant, not before: no slot, no page change.
    const belongs = article?.status === 'published' && article.sectionSlug === sectionSlug && Date.parse(article.publishedAt) <= asOf.getTime();
    const seq = index ? Number(index['seq']) : undefined;
    if (!belongs) {
      if (seq === undefined) return { pages: [], inSection: false };
      await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { [KEY.partition]: archivePk(sectionSlug), [KEY.sort]: archiveSortKey(seq) } }));
      await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: archiveIndexKey(sectionSlug, articleId) }));
      return { pages: [this.pageOf(seq)], inSection: false };
    }
    if (seq !== undefined) {
      await this.putSlot(sectionSlug, seq, article);
      return { pages: [this.pageOf(seq)], inSection: true };
    }
    const slot = await this.nextSlot(feedKey);
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: { ...archiveIndexKey(sectionSlug, articleId), seq: slot }, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': KEY.partition } }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return this.reconcile(sectionSlug, feedKey, articleId, asOf); // a concurrent run took a slot first
      throw err;
    }
    await this.putSlot(sectionSlug, slot, article);
    const page = this.pageOf(slot);
    // Opening a new page gives the previous one its next-archive link.
    return { pages: slot % this.pageSize === 0 && page > 0 ? [page - 1, page] : [page], inSection: true };
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

  private async putSlot(sectionSlug: string, seq: number, article: Article): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { [KEY.partition]: archivePk(sectionSlug), [KEY.sort]: archiveSortKey(seq), id: article.id, [DOC_ATTRIBUTE]: encodeArticleDocument(article) } }),
    );
  }

  /** Hands out slots from a counter on the feed's state item: 0, 1, 2, … */
  private async nextSlot(feedKey: string): Promise<number> {
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: feedStateKey(feedKey),
        UpdateExpression: 'ADD archiveNext :one',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.['archiveNext']) - 1;
  }
}
