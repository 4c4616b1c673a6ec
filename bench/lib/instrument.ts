/**
 * Counting on real SDK clients with middleware: which calls the pipeline makes, what DynamoDB
 * says they consumed, what was uploaded to S3 and whether an upload carried unchanged bytes.
 * Instrumentation only; nothing is mocked or altered on the data path (except asking DynamoDB to
 * report ConsumedCapacity, which changes no data).
 */
import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { transactionWriteUnits } from './itemSize.js';

export interface DynamoCalls {
  /** Calls by command name, e.g. `TransactWriteItemsCommand`. */
  calls: Record<string, number>;
  /** Capacity units DynamoDB reported (ReturnConsumedCapacity TOTAL). */
  readUnits: number;
  writeUnits: number;
  /** The same units by command name. */
  unitsByCommand: Record<string, { read: number; write: number }>;
  /** What DynamoDB Local reported for TransactWriteItems (too little: the counts above use transactionWriteUnits instead). */
  reportedTransactWriteUnits: number;
  /** Calls that answered without ConsumedCapacity (units then unknown for them). */
  unreported: number;
  /**
   * First-page Queries (no ExclusiveStartKey) by partition prefix and Limit, e.g. `SECTION 50`: a
   * feed render reads its partition once with the feed's size, other readers (the news sitemap's
   * steps of 10, 40, 160…) with theirs; a projected Query (a catching-up render's look at the
   * versions) gets ` versions` after its Limit, e.g. `SECTION 50 versions`.
   */
  queriesByLimit: Record<string, number>;
  /** Queries by the partition key value's prefix (up to `#`), e.g. `SECTION`: which partitions are read. */
  queriesByPartition: Record<string, number>;
  /**
   * Calls and units by the class of partition they touch (see partitionClass): `ARTICLE`, `SECTION`,
   * `TAG`, `AUTHOR`, `ARCHIVE`, `ARCHIVEIDX`, `STATE#section`, `STATE#tag`, `STATE#registry`, …;
   * transactions and batches under `TRANSACT` and `BATCH` (they span partitions).
   */
  byPartition: Record<string, { calls: number; read: number; write: number }>;
  /** Wall time spent in calls, by command name, ms. */
  msByCommand: Record<string, number>;
  /** When the last successful call of each command ended (performance.now()), e.g. a burst's last ingest transaction. */
  lastEndedAt: Record<string, number>;
  /** Failed calls by command and error name, e.g. `TransactWriteItemsCommand TransactionCanceledException`. */
  errors: Record<string, number>;
}

export interface S3Calls {
  calls: Record<string, number>;
  putBytes: number;
  putKeys: string[];
  /** PUTs whose bytes equal the object's previous bytes (as last written through this client). */
  unchangedPuts: number;
}

export interface Counters<T> {
  readonly value: T;
  /** Zeroes the counts (what was last written per key is remembered). */
  reset(): void;
  /** Counts since the last reset, as a plain copy. */
  snapshot(): T;
}

const CAPACITY_COMMANDS = new Set([
  'GetItemCommand', 'PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'QueryCommand', 'ScanCommand',
  'BatchGetItemCommand', 'BatchWriteItemCommand', 'TransactGetItemsCommand', 'TransactWriteItemsCommand',
]);

const stringOf = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : v !== null && typeof v === 'object' && typeof (v as { S?: unknown }).S === 'string' ? (v as { S: string }).S : undefined;

/**
 * The class of the partition a call touches: the partition key up to its first `#`, and for feed
 * state (`STATE#section/international`) the kind of feed too, so that a section's bookkeeping, a tag
 * feed's and the registry's can be told apart.
 */
export function partitionClass(name: string, input: Record<string, unknown>): string {
  if (name.startsWith('Transact')) return 'TRANSACT';
  if (name.startsWith('Batch')) return 'BATCH';
  let pk: string | undefined;
  if (name === 'QueryCommand') {
    const values = (input['ExpressionAttributeValues'] ?? {}) as Record<string, unknown>;
    pk = Object.values(values).map(stringOf).find((v) => v !== undefined);
  } else {
    const key = (input['Key'] ?? input['Item']) as Record<string, unknown> | undefined;
    pk = stringOf(key?.['pk']);
  }
  if (pk === undefined) return name === 'ScanCommand' ? 'SCAN' : '?';
  const hash = pk.indexOf('#');
  if (hash < 0) return pk;
  const head = pk.slice(0, hash);
  if (head !== 'STATE') return head;
  const rest = pk.slice(hash + 1);
  return `STATE#${rest.split('/')[0]}`;
}

type Capacity = { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number };

export function instrumentDynamo(client: DynamoDBClient): Counters<DynamoCalls> {
  const fresh = (): DynamoCalls => ({ calls: {}, readUnits: 0, writeUnits: 0, unitsByCommand: {}, reportedTransactWriteUnits: 0, unreported: 0, errors: {}, msByCommand: {}, lastEndedAt: {}, queriesByPartition: {}, queriesByLimit: {}, byPartition: {} });
  let value = fresh();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      value.calls[name] = (value.calls[name] ?? 0) + 1;
      const input = args.input as Record<string, unknown>;
      if (name === 'QueryCommand') {
        const values = (input['ExpressionAttributeValues'] ?? {}) as Record<string, unknown>;
        const pk = Object.values(values).find((v) => typeof v === 'string' || (v !== null && typeof v === 'object' && 'S' in v));
        const text = typeof pk === 'string' ? pk : ((pk as { S?: string } | undefined)?.S ?? '?');
        const prefix = text.includes('#') ? text.slice(0, text.indexOf('#')) : text;
        value.queriesByPartition[prefix] = (value.queriesByPartition[prefix] ?? 0) + 1;
        if (input['ExclusiveStartKey'] === undefined) {
          // A Query of the entries' versions alone (a render catching up looks with one) is told apart.
          const shape = `${prefix} ${String(input['Limit'] ?? '-')}${input['ProjectionExpression'] !== undefined ? ' versions' : ''}`;
          value.queriesByLimit[shape] = (value.queriesByLimit[shape] ?? 0) + 1;
        }
      }
      const measured = CAPACITY_COMMANDS.has(name);
      if (measured && input['ReturnConsumedCapacity'] === undefined) input['ReturnConsumedCapacity'] = 'TOTAL';
      const partition = partitionClass(name, input);
      const part = (value.byPartition[partition] ??= { calls: 0, read: 0, write: 0 });
      part.calls++;
      let result;
      const started = performance.now();
      try {
        result = await next(args);
        const ended = performance.now();
        value.msByCommand[name] = (value.msByCommand[name] ?? 0) + ended - started;
        value.lastEndedAt[name] = Math.max(value.lastEndedAt[name] ?? 0, ended);
      } catch (error) {
        const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons?.map((r) => r.Code ?? 'None').join('+');
        const key = `${name} ${(error as Error).name}${reasons ? ` (${reasons})` : ''}`;
        value.errors[key] = (value.errors[key] ?? 0) + 1;
        throw error;
      }
      if (measured) {
        const consumed = (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
        const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
        if (list.length === 0) value.unreported++;
        const units = (value.unitsByCommand[name] ??= { read: 0, write: 0 });
        for (const c of list) {
          let read = c.ReadCapacityUnits ?? 0;
          let write = c.WriteCapacityUnits ?? 0;
          if (!read && !write) {
            if (name.includes('Get') || name === 'QueryCommand' || name === 'ScanCommand') read = c.CapacityUnits ?? 0;
            else write = c.CapacityUnits ?? 0;
          }
          if (name === 'TransactWriteItemsCommand') {
            // DynamoDB Local under-reports transactions: bill them as AWS does, from the items (itemSize.ts).
            value.reportedTransactWriteUnits += write;
            write = transactionWriteUnits(input);
          }
          value.readUnits += read;
          value.writeUnits += write;
          units.read += read;
          units.write += write;
          part.read += read;
          part.write += write;
        }
      }
      return result;
    },
    { step: 'initialize', name: 'benchCountDynamo' },
  );
  return {
    get value() {
      return value;
    },
    reset: () => void (value = fresh()),
    snapshot: () => structuredClone(value),
  };
}

const sha256 = (body: unknown) => createHash('sha256').update(typeof body === 'string' ? body : Buffer.from(body as Uint8Array)).digest('hex');

export function instrumentS3(client: S3Client): Counters<S3Calls> {
  const fresh = (): S3Calls => ({ calls: {}, putBytes: 0, putKeys: [], unchangedPuts: 0 });
  let value = fresh();
  const lastHash = new Map<string, string>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      value.calls[name] = (value.calls[name] ?? 0) + 1;
      if (name === 'PutObjectCommand') {
        const { Key, Body, Bucket } = args.input as { Key: string; Body: unknown; Bucket: string };
        const body = typeof Body === 'string' || Body instanceof Uint8Array ? Body : undefined;
        if (body !== undefined) {
          const hash = sha256(body);
          const id = `${Bucket}/${Key}`;
          if (lastHash.get(id) === hash) value.unchangedPuts++;
          lastHash.set(id, hash);
          value.putBytes += typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
        }
        value.putKeys.push(Key);
      }
      return next(args);
    },
    { step: 'initialize', name: 'benchCountS3' },
  );
  return {
    get value() {
      return value;
    },
    reset: () => void (value = fresh()),
    snapshot: () => structuredClone(value),
  };
}
