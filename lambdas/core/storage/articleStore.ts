import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { contentHash, decideVersion, type Article, type StoreOutcome } from '../article/index.js';
import { WriteContentionError } from './errors.js';
import { articleKey, ENTITY_ARTICLE, ENTITY_ENTRY, entrySortKey, KEY, sectionPk } from './keys.js';

/** The article item as stored. */
export interface StoredArticle {
  article: Article;
  updatedAtMs: number;
  contentHash: string;
  /** Key of the article's entry in its section, when it is published. */
  entry?: { pk: string; sk: string };
}

export type RetractOutcome = 'retracted' | 'unchanged' | 'not-found';

const MAX_ATTEMPTS = 8;

function isRetryableCancel(err: unknown): boolean {
  if (err instanceof ConditionalCheckFailedException) return true;
  if (!(err instanceof TransactionCanceledException)) return false;
  return (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Articles in DynamoDB: versioned writes and the per-section newest-first listing feeds are built from. */
export class ArticleStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
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

  /** The newest `limit` published articles of a section, newest first: one consistent Query (paged only by size). */
  async listSection(slug: string, limit: number): Promise<Article[]> {
    return (await this.readSection(slug, limit)).articles;
  }

  /**
   * Like listSection, but an entry whose stored document cannot be read (written by hand, or by
   * older code) is returned apart instead of failing the whole section.
   */
  async readSection(slug: string, limit: number): Promise<{ articles: Article[]; unreadable: { id: string; reason: string }[] }> {
    const articles: Article[] = [];
    const unreadable: { id: string; reason: string }[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': KEY.partition },
          ExpressionAttributeValues: { ':pk': sectionPk(slug) },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: limit - articles.length - unreadable.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        try {
          articles.push(JSON.parse(item['doc'] as string) as Article);
        } catch (err) {
          unreadable.push({ id: String(item['id']), reason: `stored document is not JSON: ${(err as Error).message}` });
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && articles.length + unreadable.length < limit);
    return { articles, unreadable };
  }

  private async write(article: Article, version: { updatedAtMs: number; contentHash: string }, stored: StoredArticle | undefined) {
    const doc = JSON.stringify(article);
    const entry =
      article.status === 'published'
        ? { pk: sectionPk(article.sectionSlug), sk: entrySortKey(Date.parse(article.publishedAt), article.id) }
        : undefined;
    const oldEntry = stored?.entry;
    const entryMoved = oldEntry && (!entry || oldEntry.pk !== entry.pk || oldEntry.sk !== entry.sk);

    const articlePut = {
      Put: {
        TableName: this.tableName,
        Item: {
          ...articleKey(article.id),
          entity: ENTITY_ARTICLE,
          id: article.id,
          sectionSlug: article.sectionSlug,
          status: article.status,
          updatedAtMs: version.updatedAtMs,
          contentHash: version.contentHash,
          ...(entry && { entryPk: entry.pk, entrySk: entry.sk }),
          doc,
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
    if (entryMoved) items.push({ Delete: { TableName: this.tableName, Key: { [KEY.partition]: oldEntry.pk, [KEY.sort]: oldEntry.sk } } });
    if (entry) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { [KEY.partition]: entry.pk, [KEY.sort]: entry.sk, entity: ENTITY_ENTRY, id: article.id, updatedAtMs: version.updatedAtMs, doc },
        },
      });
    }
    await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
  }
}

export function fromArticleItem(item: Record<string, unknown>): StoredArticle {
  const entryPk = item['entryPk'] as string | undefined;
  const entrySk = item['entrySk'] as string | undefined;
  return {
    article: JSON.parse(item['doc'] as string) as Article,
    updatedAtMs: Number(item['updatedAtMs']),
    contentHash: item['contentHash'] as string,
    ...(entryPk && entrySk && { entry: { pk: entryPk, sk: entrySk } }),
  };
}
