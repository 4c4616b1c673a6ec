import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, paginateScan, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
// Specific modules, not the barrel: the regeneration bundle must not pull in the validator and sanitizer.
import { contentHash } from '../../core/article/contentHash.js';
import { decodeArticleDocument, DOC_ATTRIBUTE, encodeArticleDocument } from './articleDocument.js';
import type { Article, StoreOutcome } from '../../core/article/types.js';
import type { PublisherConfig } from '../../core/config/index.js';
import { decideVersion } from '../../core/article/version.js';
import { newsSitemapListing } from '../../core/render/newsListing.js';
import { entryPartitions, membershipRules, type Membership, type MembershipRules } from '../../core/feeds/membership.js';
import {
  ARTICLE_PK_PREFIX,
  ARTICLE_SK,
  articleKey,
  ENTITY_ARTICLE,
  ENTITY_ENTRY,
  entrySortKey,
  entrySortKeyBound,
  entryVersion,
  KEY,
  WriteContentionError,
  type ArticleRepository,
  type EntryKey,
  type FeedEntries,
  type IndexedArticle,
  type ReindexOutcome,
  type RetractOutcome,
  type StoredArticle,
} from '../../core/storage/index.js';

export interface DynamoArticleRepositoryOptions {
  /** Which feeds a published article belongs in (the configuration's membership rules: articleRepository); default its section's only. */
  membership?: MembershipRules;
}

const OFF = { enabled: false, minArticles: 1, exclude: [], maxPerArticle: 0 };
/** Membership in the article's section feed alone: no tag or author feeds. */
export const SECTION_FEEDS_ONLY: MembershipRules = membershipRules({ tagFeeds: [], automaticFeeds: { tags: OFF, authors: OFF } });

const MAX_ATTEMPTS = 8;

function isRetryableCancel(err: unknown): boolean {
  if (err instanceof ConditionalCheckFailedException) return true;
  if (!(err instanceof TransactionCanceledException)) return false;
  return (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Articles in DynamoDB: versioned writes and the per-feed newest-first entries feeds are built from. */
export class DynamoArticleRepository implements ArticleRepository {
  private readonly doc: DynamoDBDocumentClient;

  private readonly membership: MembershipRules;

  constructor(
    client: DynamoDBClient,
    readonly tableName: string,
    options: DynamoArticleRepositoryOptions = {},
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    this.membership = options.membership ?? SECTION_FEEDS_ONLY;
  }

  /** The feeds a published article belongs in (none beyond its section's while not published). */
  membershipOf(article: Article): Membership {
    return article.status === 'published' ? this.membership.of(article) : { sectionSlug: article.sectionSlug, tags: [], authors: [] };
  }

  async get(id: string): Promise<StoredArticle | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: articleKey(id), ConsistentRead: true }));
    return Item ? fromArticleItem(Item) : undefined;
  }

  /**
   * Stores one version of an article under the version rules: older versions are ignored, an
   * identical re-post is a no-op, a different body at the same `updatedAt` is a conflict. The write
   * is conditional on the version it read, so concurrent writers of one article cannot interleave;
   * a lost race re-reads and decides again.
   */
  async put(article: Article): Promise<StoreOutcome> {
    const incoming = { updatedAtMs: Date.parse(article.updatedAt), contentHash: contentHash(article) };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const stored = await this.get(article.id);
      const decision = decideVersion(stored, incoming);
      if (decision === 'unchanged') return 'unchanged';
      if (decision === 'ignored-older') return 'ignored-older';
      if (decision === 'conflict') return 'conflict';
      try {
        await this.write(article, incoming, stored);
        return 'stored';
      } catch (err) {
        if (!isRetryableCancel(err)) throw err;
        await pause(Math.min(200, 5 * 2 ** attempt) * Math.random());
      }
    }
    throw new WriteContentionError(article.id, MAX_ATTEMPTS);
  }

  /** Retracts the current version: same article, `status: retracted`, `updatedAt` moved forward. */
  async retract(id: string, now: Date = new Date()): Promise<RetractOutcome> {
    const stored = await this.get(id);
    if (!stored) return 'not-found';
    if (stored.article.status === 'retracted') return 'unchanged';
    const updatedAtMs = Math.max(now.getTime(), stored.updatedAtMs + 1);
    const outcome = await this.put({ ...stored.article, status: 'retracted', updatedAt: new Date(updatedAtMs).toISOString() });
    return outcome === 'stored' ? 'retracted' : outcome === 'unchanged' ? 'unchanged' : await this.retract(id, now);
  }

  /** The newest `limit` entries of one feed partition (a section's or a tag's) published by `asOf`. */
  async readEntries(partition: string, limit: number, asOf: Date = new Date()): Promise<FeedEntries> {
    const articles: Article[] = [];
    const unreadable: { id: string; reason: string }[] = [];
    const items = await this.queryEntries(partition, limit, asOf);
    for (const item of items) {
      try {
        articles.push(decodeArticleDocument(item));
      } catch (err) {
        unreadable.push({ id: String(item['id']), reason: `stored document unreadable: ${(err as Error).message}` });
      }
    }
    return { articles, unreadable, versions: items.map(versionOf) };
  }

  /** The same Query of the entries' id and version alone: no documents transferred or decoded. */
  async readEntryVersions(partition: string, limit: number, asOf: Date = new Date()): Promise<string[]> {
    return (await this.queryEntries(partition, limit, asOf, 'id, updatedAtMs')).map(versionOf);
  }

  private async queryEntries(partition: string, limit: number, asOf: Date, projection?: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          // Scheduled articles sort after the as-of instant: the bound leaves them out of the read itself.
          KeyConditionExpression: '#pk = :pk AND #sk < :visible',
          ExpressionAttributeNames: { '#pk': KEY.partition, '#sk': KEY.sort },
          ExpressionAttributeValues: { ':pk': partition, ':visible': entrySortKeyBound(asOf.getTime()) },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: limit - items.length,
          ExclusiveStartKey: startKey,
          ...(projection !== undefined && { ProjectionExpression: projection }),
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey && items.length < limit);
    return items;
  }

  /** Every stored article, one Scan page at a time (feed entries and state items are skipped). */
  async *scanArticles(): AsyncIterable<IndexedArticle[]> {
    const pages = paginateScan(
      { client: this.doc },
      {
        TableName: this.tableName,
        FilterExpression: 'begins_with(#pk, :article) AND #sk = :sk',
        ExpressionAttributeNames: { '#pk': KEY.partition, '#sk': KEY.sort },
        ExpressionAttributeValues: { ':article': ARTICLE_PK_PREFIX, ':sk': ARTICLE_SK },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      const items = (page.Items ?? []).map((item) => ({
        ...fromArticleItem(item),
        ...(typeof item['indexedWith'] === 'string' && { indexedWith: item['indexedWith'] }),
      }));
      if (items.length > 0) yield items;
    }
  }

  /** Rewrites one version's feed entries by the current rules, only if it is still the stored version. */
  async reindex(stored: IndexedArticle): Promise<ReindexOutcome> {
    try {
      await this.write(stored.article, { updatedAtMs: stored.updatedAtMs, contentHash: stored.contentHash }, stored);
      return 'reindexed';
    } catch (err) {
      if (isRetryableCancel(err)) return 'changed';
      throw err;
    }
  }

  /** What the membership rules are: stored on each article item, so a backfill knows which are behind. */
  get membershipSignature(): string {
    return this.membership.signature;
  }

  private async write(article: Article, version: { updatedAtMs: number; contentHash: string }, stored: StoredArticle | undefined) {
    const doc = encodeArticleDocument(article);
    const published = article.status === 'published';
    const membership = this.membershipOf(article);
    const sk = entrySortKey(Date.parse(article.publishedAt), article.id);
    const entries: EntryKey[] = published ? entryPartitions(membership).map((pk) => ({ pk, sk })) : [];
    const keyOf = (e: EntryKey) => `${e.pk}\n${e.sk}`;
    const kept = new Set(entries.map(keyOf));
    const removed = (stored?.entries ?? []).filter((e) => !kept.has(keyOf(e)));

    const articlePut = {
      Put: {
        TableName: this.tableName,
        Item: {
          ...articleKey(article.id),
          entity: ENTITY_ARTICLE,
          id: article.id,
          sectionSlug: article.sectionSlug,
          status: article.status,
          // The publication instant, for the regeneration path's timers (old and new image of a change).
          publishedAtMs: Date.parse(article.publishedAt),
          updatedAtMs: version.updatedAtMs,
          contentHash: version.contentHash,
          entries,
          // String sets the stream filter and the regeneration handler read: this version's tag and author feeds.
          ...(membership.tags.length > 0 && { feedTags: new Set(membership.tags) }),
          ...(membership.authors.length > 0 && { feedAuthors: new Set(membership.authors) }),
          indexedWith: this.membership.signature,
          // What the news sitemap lists of this version: the stream's routing compares old and new.
          newsListing: newsSitemapListing(article),
          [DOC_ATTRIBUTE]: doc,
        },
        // Optimistic concurrency: only over exactly the version this decision was made on.
        ...(stored
          ? {
              ConditionExpression: 'updatedAtMs = :seenMs AND contentHash = :seenHash',
              ExpressionAttributeValues: { ':seenMs': stored.updatedAtMs, ':seenHash': stored.contentHash },
            }
          : { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': KEY.partition } }),
      },
    };
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [articlePut];
    for (const e of removed) items.push({ Delete: { TableName: this.tableName, Key: { [KEY.partition]: e.pk, [KEY.sort]: e.sk } } });
    for (const e of entries) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { [KEY.partition]: e.pk, [KEY.sort]: e.sk, entity: ENTITY_ENTRY, id: article.id, updatedAtMs: version.updatedAtMs, [DOC_ATTRIBUTE]: doc },
        },
      });
    }
    await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
  }
}

const versionOf = (item: Record<string, unknown>) => entryVersion(String(item['id']), Number(item['updatedAtMs']));

export function fromArticleItem(item: Record<string, unknown>): StoredArticle {
  return {
    article: decodeArticleDocument(item),
    updatedAtMs: Number(item['updatedAtMs']),
    contentHash: item['contentHash'] as string,
    entries: (item['entries'] as EntryKey[] | undefined) ?? [],
  };
}

/** The article repository as ingest, publishing and the backfill use it: feed membership comes from the configuration. */
export function articleRepository(dynamo: DynamoDBClient, tableName: string, config: PublisherConfig): DynamoArticleRepository {
  return new DynamoArticleRepository(dynamo, tableName, { membership: membershipRules(config) });
}
