import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedState, FeedStateStore, Manifest, RegisteredFeed, SiteState } from '../../core/publish/index.js';
import { FEED_REGISTRY_PK, feedStateKey, KEY, SITE_STATE_KEY } from '../../core/storage/index.js';

const toManifest = (value: unknown): Manifest => (value && typeof value === 'object' ? { ...(value as Record<string, string>) } : {});

const toState = (item: Record<string, unknown> | undefined): FeedState => ({
  requested: Number(item?.['requested'] ?? 0),
  published: Number(item?.['published'] ?? 0),
  ...(typeof item?.['leaseOwner'] === 'string' && { leaseOwner: item['leaseOwner'] }),
  ...(item?.['leaseUntil'] !== undefined && { leaseUntil: Number(item['leaseUntil']) }),
  archiveNext: Number(item?.['archiveNext'] ?? 0),
  dirtyPages: [...((item?.['dirtyPages'] as Set<number> | undefined) ?? [])].map(Number).sort((a, b) => a - b),
  manifest: toManifest(item?.['manifest']),
  ...(item?.['newestChangeMs'] !== undefined && { newestChangeMs: Number(item['newestChangeMs']) }),
});

const REGISTRY_FIELDS = ['key', 'kind', 'slug', 'title', 'description', 'basePath', 'items'] as const;

const conditionFailed = (err: unknown) => err instanceof ConditionalCheckFailedException;

/** FeedStateStore on the article table's STATE# partition (item layout unchanged; `manifest` is a map). */
export class DynamoFeedStateStore implements FeedStateStore {
  private readonly doc: DynamoDBDocumentClient;
  constructor(
    client: DynamoDBClient,
    readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async read(feedKey: string): Promise<FeedState> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: feedStateKey(feedKey), ConsistentRead: true }));
    return toState(Item);
  }

  async request(feedKey: string, dirtyPages: readonly number[] = [], changedAtMs?: number): Promise<number> {
    if (changedAtMs !== undefined) await this.raiseNewestChange(feedKey, changedAtMs);
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: feedStateKey(feedKey),
        UpdateExpression: dirtyPages.length ? 'ADD requested :one, dirtyPages :pages' : 'ADD requested :one',
        ExpressionAttributeValues: { ':one': 1, ...(dirtyPages.length && { ':pages': new Set(dirtyPages) }) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toState(Attributes).requested;
  }

  /** newestChangeMs = max(newestChangeMs, at), by a conditional write (a lower time is a no-op). */
  private async raiseNewestChange(feedKey: string, at: number): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: feedStateKey(feedKey),
          UpdateExpression: 'SET newestChangeMs = :at',
          ConditionExpression: 'attribute_not_exists(newestChangeMs) OR newestChangeMs < :at',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    } catch (err) {
      if (!conditionFailed(err)) throw err;
    }
  }

  async recordFeed(feed: RegisteredFeed): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { [KEY.partition]: FEED_REGISTRY_PK, [KEY.sort]: feed.key, ...feed } }));
  }

  async listFeeds(): Promise<RegisteredFeed[]> {
    const feeds: RegisteredFeed[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': KEY.partition },
          ExpressionAttributeValues: { ':pk': FEED_REGISTRY_PK },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        feeds.push(Object.fromEntries(REGISTRY_FIELDS.map((f) => [f, f === 'items' ? Number(item[f]) : String(item[f])])) as unknown as RegisteredFeed);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return feeds;
  }

  async acquire(feedKey: string, owner: string, now: number, ttlMs: number): Promise<FeedState | undefined> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: feedStateKey(feedKey),
          UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until',
          ConditionExpression: 'attribute_not_exists(leaseOwner) OR leaseUntil < :now',
          ExpressionAttributeValues: { ':owner': owner, ':until': now + ttlMs, ':now': now },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toState(Attributes);
    } catch (err) {
      if (conditionFailed(err)) return undefined;
      throw err;
    }
  }

  async markPublished(feedKey: string, owner: string, request: number, renderedPages: readonly number[], manifest: Manifest): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: feedStateKey(feedKey),
          UpdateExpression: `SET published = :request, manifest = :manifest${renderedPages.length ? ' DELETE dirtyPages :pages' : ''}`,
          ConditionExpression: 'requested = :request AND leaseOwner = :owner',
          ExpressionAttributeValues: { ':request': request, ':owner': owner, ':manifest': manifest, ...(renderedPages.length && { ':pages': new Set(renderedPages) }) },
        }),
      );
      return true;
    } catch (err) {
      if (conditionFailed(err)) return false;
      throw err;
    }
  }

  async release(feedKey: string, owner: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: feedStateKey(feedKey),
          UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (err) {
      if (!conditionFailed(err)) throw err;
    }
  }

  async readSite(): Promise<SiteState> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: SITE_STATE_KEY, ConsistentRead: true }));
    return { ...(typeof Item?.['signature'] === 'string' && { signature: Item['signature'] }), manifest: toManifest(Item?.['manifest']) };
  }

  async writeSite(previous: SiteState, next: SiteState): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: SITE_STATE_KEY,
          UpdateExpression: 'SET signature = :next, manifest = :manifest',
          ConditionExpression: previous.signature === undefined ? 'attribute_not_exists(signature)' : 'signature = :previous',
          ExpressionAttributeValues: { ':next': next.signature, ':manifest': next.manifest, ...(previous.signature !== undefined && { ':previous': previous.signature }) },
        }),
      );
      return true;
    } catch (err) {
      if (conditionFailed(err)) return false;
      throw err;
    }
  }
}
