import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { sectionStateKey } from '../storage/index.js';

/** What the state item of a section says. */
export interface SectionState {
  /** Bumped once per regeneration request (a stream batch touching the section). */
  requested: number;
  /** The highest request whose changes are known to be in the published feeds. */
  published: number;
  leaseOwner?: string;
  leaseUntil?: number;
  /** Archive slots handed out so far (the next slot's number). */
  archiveNext: number;
  /** Archive pages changed since they were last published. */
  dirtyPages: number[];
}

const toState = (item: Record<string, unknown> | undefined): SectionState => ({
  requested: Number(item?.['requested'] ?? 0),
  published: Number(item?.['published'] ?? 0),
  ...(typeof item?.['leaseOwner'] === 'string' && { leaseOwner: item['leaseOwner'] }),
  ...(item?.['leaseUntil'] !== undefined && { leaseUntil: Number(item['leaseUntil']) }),
  archiveNext: Number(item?.['archiveNext'] ?? 0),
  dirtyPages: [...((item?.['dirtyPages'] as Set<number> | undefined) ?? [])].map(Number).sort((a, b) => a - b),
});

/**
 * The DynamoDB side of publishing one section at a time: a request counter, a published counter
 * and a lease, all on one item per section, changed only by conditional writes.
 */
export class SectionStateStore {
  private readonly doc: DynamoDBDocumentClient;
  constructor(
    client: DynamoDBClient,
    readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async read(slug: string): Promise<SectionState> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: sectionStateKey(slug), ConsistentRead: true }));
    return toState(Item);
  }

  /** Records that the section has (possibly) changed, and which archive pages; returns the request number to wait for. */
  async request(slug: string, dirtyPages: readonly number[] = []): Promise<number> {
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: sectionStateKey(slug),
        UpdateExpression: dirtyPages.length ? 'ADD requested :one, dirtyPages :pages' : 'ADD requested :one',
        ExpressionAttributeValues: { ':one': 1, ...(dirtyPages.length && { ':pages': new Set(dirtyPages) }) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toState(Attributes).requested;
  }

  /** Takes the lease if it is free or expired; returns the state as of taking it, or undefined. */
  async acquire(slug: string, owner: string, now: number, ttlMs: number): Promise<SectionState | undefined> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sectionStateKey(slug),
          UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until',
          ConditionExpression: 'attribute_not_exists(leaseOwner) OR leaseUntil < :now',
          ExpressionAttributeValues: { ':owner': owner, ':until': now + ttlMs, ':now': now },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toState(Attributes);
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return undefined;
      throw err;
    }
  }

  /**
   * Marks `request` as published, only if no newer request arrived meanwhile and the lease is still
   * ours. False means: render again, there is something newer.
   */
  async markPublished(slug: string, owner: string, request: number, renderedPages: readonly number[] = []): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sectionStateKey(slug),
          UpdateExpression: renderedPages.length ? 'SET published = :request DELETE dirtyPages :pages' : 'SET published = :request',
          ConditionExpression: 'requested = :request AND leaseOwner = :owner',
          ExpressionAttributeValues: { ':request': request, ':owner': owner, ...(renderedPages.length && { ':pages': new Set(renderedPages) }) },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async release(slug: string, owner: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sectionStateKey(slug),
          UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }
}
