import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, paginateQuery, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedState, FeedStateStore, Manifest, RegisteredFeed, SiteState } from '../../core/publish/index.js';
import { decodeManifest, encodeManifest } from './manifestCodec.js';
import { FEED_REGISTRY_PK, feedStateKey, KEY, SITE_STATE_KEY } from '../../core/storage/index.js';

const toManifest = (value: unknown): Manifest => (value && typeof value === 'object' ? { ...(value as Record<string, string>) } : {});

/** A feed's manifest: the compact attribute (manifestZ), or the map items written before it existed keep. */
const feedManifest = (item: Record<string, unknown> | undefined): Manifest =>
  item?.['manifestZ'] instanceof Uint8Array ? decodeManifest(item['manifestZ']) : toManifest(item?.['manifest']);

const toState = (item: Record<string, unknown> | undefined): FeedState => ({
  requested: Number(item?.['requested'] ?? 0),
  published: Number(item?.['published'] ?? 0),
  ...(typeof item?.['leaseOwner'] === 'string' && { leaseOwner: item['leaseOwner'] }),
  ...(item?.['leaseUntil'] !== undefined && { leaseUntil: Number(item['leaseUntil']) }),
  archiveNext: Number(item?.['archiveNext'] ?? 0),
  dirtyPages: [...((item?.['dirtyPages'] as Set<number> | undefined) ?? [])].map(Number).sort((a, b) => a - b),
  manifest: feedManifest(item),
  ...(item?.['newestChangeMs'] !== undefined && { newestChangeMs: Number(item['newestChangeMs']) }),
  ...(typeof item?.['listed'] === 'string' && { listed: item['listed'] }),
});

const REGISTRY_FIELDS = ['key', 'kind', 'slug', 'title', 'description', 'basePath', 'items'] as const;

/** A number attribute, as the document client gives it or as an error's item carries it ({ N }). */
const numberOf = (value: unknown) => Number(value !== null && typeof value === 'object' && 'N' in value ? (value as { N: string }).N : value);

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

  async requestAndAcquire(feedKey: string, owner: string, now: number, ttlMs: number, dirtyPages: readonly number[] = [], changedAtMs?: number): Promise<FeedState | undefined> {
    const attempt = async (raise: boolean) => {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: feedStateKey(feedKey),
          UpdateExpression: `SET leaseOwner = :owner, leaseUntil = :until${raise ? ', newestChangeMs = :at' : ''} ADD requested :one${dirtyPages.length ? ', dirtyPages :pages' : ''}`,
          ConditionExpression: `(attribute_not_exists(leaseOwner) OR leaseUntil < :now)${raise ? ' AND (attribute_not_exists(newestChangeMs) OR newestChangeMs <= :at)' : ''}`,
          ExpressionAttributeValues: {
            ':owner': owner,
            ':until': now + ttlMs,
            ':now': now,
            ':one': 1,
            ...(dirtyPages.length && { ':pages': new Set(dirtyPages) }),
            ...(raise && { ':at': changedAtMs }),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return toState(Attributes);
    };
    try {
      return await attempt(changedAtMs !== undefined);
    } catch (err) {
      if (!conditionFailed(err)) throw err;
      const old = (err as ConditionalCheckFailedException).Item as Record<string, unknown> | undefined;
      // The lease was free: it was newestChangeMs, already at or past this change's time (raising it is a no-op).
      const leaseFree = !old || old['leaseOwner'] === undefined || numberOf(old['leaseUntil']) < now;
      if (changedAtMs === undefined || !leaseFree) return undefined;
    }
    try {
      return await attempt(false);
    } catch (err) {
      if (conditionFailed(err)) return undefined;
      throw err;
    }
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
    // After the entry (see FeedStateStore.recordFeed): whoever reads this version then Queries sees it.
    await this.doc.send(new UpdateCommand({ TableName: this.tableName, Key: SITE_STATE_KEY, UpdateExpression: 'ADD listingVersion :one', ExpressionAttributeValues: { ':one': 1 } }));
  }

  async listFeeds(): Promise<RegisteredFeed[]> {
    const feeds: RegisteredFeed[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': KEY.partition },
        ExpressionAttributeValues: { ':pk': FEED_REGISTRY_PK },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        feeds.push(Object.fromEntries(REGISTRY_FIELDS.map((f) => [f, f === 'items' ? Number(item[f]) : String(item[f])])) as unknown as RegisteredFeed);
      }
    }
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

  async markPublished(feedKey: string, owner: string, request: number, renderedPages: readonly number[], manifest: Manifest, listed?: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: feedStateKey(feedKey),
          UpdateExpression: `SET published = :request, manifestZ = :manifest${listed !== undefined ? ', listed = :listed' : ''} REMOVE leaseOwner, leaseUntil, manifest${renderedPages.length ? ' DELETE dirtyPages :pages' : ''}`,
          ConditionExpression: 'requested = :request AND leaseOwner = :owner',
          ExpressionAttributeValues: {
            ':request': request,
            ':owner': owner,
            ':manifest': encodeManifest(manifest),
            ...(listed !== undefined && { ':listed': listed }),
            ...(renderedPages.length && { ':pages': new Set(renderedPages) }),
          },
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
    return {
      ...(typeof Item?.['signature'] === 'string' && { signature: Item['signature'] }),
      ...(typeof Item?.['configSignature'] === 'string' && { configSignature: Item['configSignature'] }),
      manifest: toManifest(Item?.['manifest']),
      listingVersion: Number(Item?.['listingVersion'] ?? 0),
      ...(Item?.['renderedListing'] !== undefined && { renderedListing: Number(Item['renderedListing']) }),
    };
  }

  async writeSite(previous: SiteState, next: SiteState): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: SITE_STATE_KEY,
          UpdateExpression: `SET signature = :next, manifest = :manifest${next.configSignature !== undefined ? ', configSignature = :config' : ''}${next.renderedListing !== undefined ? ', renderedListing = :rendered' : ''}`,
          // Both as read: a run that read an older state (another run wrote meanwhile) writes nothing.
          ConditionExpression: [
            previous.signature === undefined ? 'attribute_not_exists(signature)' : 'signature = :previous',
            previous.renderedListing === undefined ? 'attribute_not_exists(renderedListing)' : 'renderedListing = :previousRendered',
          ].join(' AND '),
          ExpressionAttributeValues: {
            ':next': next.signature,
            ':manifest': next.manifest,
            ...(next.configSignature !== undefined && { ':config': next.configSignature }),
            ...(next.renderedListing !== undefined && { ':rendered': next.renderedListing }),
            ...(previous.signature !== undefined && { ':previous': previous.signature }),
            ...(previous.renderedListing !== undefined && { ':previousRendered': previous.renderedListing }),
          },
        }),
      );
      return true;
    } catch (err) {
      if (conditionFailed(err)) return false;
      throw err;
    }
  }
}
