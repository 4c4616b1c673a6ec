import {
  DescribeStreamCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type _Record as StreamRecord,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { DeadLetter } from '../lambdas/core/contracts/index.js';
import { matchesAnyFilter } from '../lambdas/core/stream/index.js';
import { toLambdaRecord } from '../operator/streamRecords.js';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

export interface StreamPollerOptions {
  streams: DynamoDBStreamsClient;
  streamArn: string;
  handler: StreamHandler;
  /** Lambda filter patterns; records matching none are dropped, as the event source mapping does. */
  filters?: readonly Record<string, unknown>[];
  /** Records per invocation at most (BatchSize), counted before filtering; default 1,000, the stack's (deploy.regeneration.batchSize). */
  batchSize?: number;
  /** How long to gather records before invoking (MaximumBatchingWindowInSeconds). */
  batchingWindowMs?: number;
  /** Retries of a failing batch before bisecting it, and of a single record before dead-lettering it. */
  maxRetries?: number;
  bisectOnError?: boolean;
  retryDelayMs?: number;
  pollIntervalMs?: number;
  startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Longest pause between failed polls: they back off exponentially from retryDelayMs up to this. */
  maxPollBackoffMs?: number;
  onDeadLetter?: (letter: DeadLetter) => Promise<void> | void;
  /** A poll failed (the table unreachable…); `consecutive` counts the failures in a row, so callers can log rarely. */
  onError?: (error: unknown, consecutive: number) => void;
}

interface ShardState {
  shard: Shard;
  iterator?: string;
  lastSequence?: string;
  closed: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls a DynamoDB stream and invokes a handler the way Lambda's event source mapping does: shards
 * in parent-before-child order, filter patterns, a batching window, partial batch failures (retry
 * from the first failed record), bounded retries, bisect on error, and an on-failure destination.
 * One batch per shard at a time (ParallelizationFactor 1), so a shard's records stay in order.
 */
export class StreamPoller {
  private readonly options: Required<Omit<StreamPollerOptions, 'onDeadLetter' | 'onError'>> & Pick<StreamPollerOptions, 'onDeadLetter' | 'onError'>;
  private readonly shards = new Map<string, ShardState>();
  private running = false;
  private loop?: Promise<void>;
  private cycle = 0;
  private waiters: { afterCycle: number; resolve: () => void }[] = [];
  private lastDescribe = 0;
  private shardClosed = false;
  private pollFailures = 0;
  /** Ends a back-off pause early when stop() is called. */
  private wake: () => void = () => undefined;
  readonly stats = { invocations: 0, records: 0, filteredOut: 0, deadLettered: 0, retries: 0 };

  constructor(options: StreamPollerOptions) {
    this.options = {
      filters: [],
      batchSize: 1000,
      batchingWindowMs: 100,
      maxRetries: 3,
      bisectOnError: true,
      retryDelayMs: 50,
      pollIntervalMs: 25,
      startingPosition: 'LATEST',
      maxPollBackoffMs: 5_000,
      ...options,
    };
  }

  async start(): Promise<void> {
    await this.refreshShards(this.options.startingPosition);
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    for (const w of this.waiters.splice(0)) w.resolve();
  }

  /**
   * Resolves once every record written before the call has been handled (or dead-lettered): a full
   * poll cycle that started after the call found nothing new. The local server awaits this so a
   * POST's change is in the feeds when the response returns.
   */
  settle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ afterCycle: this.cycle, resolve }));
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.cycle += 1;
      const started = this.cycle;
      let sawRecords = false;
      try {
        if (this.shardClosed || Date.now() - this.lastDescribe > 1000) {
          this.shardClosed = false;
          await this.refreshShards('TRIM_HORIZON');
        }
        for (const state of this.readyShards()) {
          sawRecords = (await this.drainShard(state)) || sawRecords;
        }
        this.pollFailures = 0;
      } catch (error) {
        sawRecords = true;
        this.pollFailures += 1;
        this.options.onError?.(error, this.pollFailures);
        const backoff = Math.min(this.options.retryDelayMs * 2 ** (this.pollFailures - 1), this.options.maxPollBackoffMs);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoff);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      if (!sawRecords) {
        this.waiters = this.waiters.filter((w) => {
          if (w.afterCycle < started) w.resolve();
          return w.afterCycle >= started;
        });
        await sleep(this.options.pollIntervalMs);
      }
    }
  }

  /** Open shards whose parent is finished (or unknown): children wait for their parents. */
  private readyShards(): ShardState[] {
    return [...this.shards.values()].filter((s) => {
      if (!s.iterator) return false;
      const parent = s.shard.ParentShardId ? this.shards.get(s.shard.ParentShardId) : undefined;
      return !parent || (parent.closed && !parent.iterator);
    });
  }

  /** New shards start at TRIM_HORIZON (their records are all new to us), except at start-up. */
  private async refreshShards(position: 'TRIM_HORIZON' | 'LATEST'): Promise<void> {
    this.lastDescribe = Date.now();
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.options.streams.send(
        new DescribeStreamCommand({ StreamArn: this.options.streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        if (!shard.ShardId || this.shards.has(shard.ShardId)) continue;
        const state: ShardState = { shard, closed: false };
        this.shards.set(shard.ShardId, state);
        const closedAtStart = position === 'LATEST' && shard.SequenceNumberRange?.EndingSequenceNumber;
        if (closedAtStart) {
          state.closed = true;
          continue;
        }
        state.iterator = await this.iteratorFor(shard.ShardId, position);
      }
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
  }

  private async iteratorFor(shardId: string, position: 'TRIM_HORIZON' | 'LATEST', afterSequence?: string): Promise<string | undefined> {
    const { ShardIterator } = await this.options.streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.options.streamArn,
        ShardId: shardId,
        ...(afterSequence ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: afterSequence } : { ShardIteratorType: position }),
      }),
    );
    return ShardIterator;
  }

  /** Reads one batching window's worth from a shard and delivers it. Returns whether records came. */
  private async drainShard(state: ShardState): Promise<boolean> {
    const shardId = state.shard.ShardId!;
    const gathered: StreamRecord[] = [];
    const windowEnds = () => (gathered.length === 0 ? Date.now() : windowStart + this.options.batchingWindowMs);
    let windowStart = 0;
    while (state.iterator && gathered.length < this.options.batchSize) {
      let page;
      try {
        page = await this.options.streams.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: this.options.batchSize - gathered.length }));
      } catch (error) {
        if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
          state.iterator = await this.iteratorFor(shardId, 'TRIM_HORIZON', gathered.at(-1)?.dynamodb?.SequenceNumber ?? state.lastSequence);
          continue;
        }
        throw error;
      }
      const records = page.Records ?? [];
      if (records.length > 0 && gathered.length === 0) windowStart = Date.now();
      gathered.push(...records);
      state.iterator = page.NextShardIterator;
      if (!state.iterator) state.closed = this.shardClosed = true;
      if (gathered.length === 0 || Date.now() >= windowEnds()) break;
      if (records.length === 0) await sleep(Math.min(this.options.pollIntervalMs, Math.max(0, windowEnds() - Date.now())));
    }
    if (gathered.length === 0) return false;
    state.lastSequence = gathered.at(-1)?.dynamodb?.SequenceNumber;
    const records = gathered.map((r) => toLambdaRecord(r, this.options.streamArn));
    const kept = this.options.filters.length === 0 ? records : records.filter((r) => matchesAnyFilter(r, this.options.filters));
    this.stats.records += records.length;
    this.stats.filteredOut += records.length - kept.length;
    if (kept.length > 0) await this.deliver(shardId, kept);
    return true;
  }

  /** Invokes until the batch succeeds; on repeated failure, bisects, then dead-letters single records. */
  private async deliver(shardId: string, batch: DynamoDBRecord[]): Promise<void> {
    let pending = batch;
    let lastError = '';
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.invoke(pending).then(
        (response) => ({ failedFrom: firstFailedIndex(pending, response), error: 'handler reported batch item failures' }),
        (error: unknown) => ({ failedFrom: 0, error: error instanceof Error ? error.message : String(error) }),
      );
      if (outcome.failedFrom < 0) return;
      const { failedFrom } = outcome;
      lastError = outcome.error;
      pending = pending.slice(failedFrom);
      if (attempt >= this.options.maxRetries) break;
      this.stats.retries += 1;
      await sleep(this.options.retryDelayMs * 2 ** attempt);
    }
    if (this.options.bisectOnError && pending.length > 1) {
      const middle = Math.ceil(pending.length / 2);
      await this.deliver(shardId, pending.slice(0, middle));
      await this.deliver(shardId, pending.slice(middle));
      return;
    }
    this.stats.deadLettered += pending.length;
    await this.options.onDeadLetter?.({
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: this.options.maxRetries + 1 },
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: pending[0]!.dynamodb!.SequenceNumber!,
        endSequenceNumber: pending.at(-1)!.dynamodb!.SequenceNumber!,
        batchSize: pending.length,
        streamArn: this.options.streamArn,
      },
      records: pending,
      error: lastError,
    });
  }

  private async invoke(records: DynamoDBRecord[]): Promise<DynamoDBBatchResponse | void> {
    this.stats.invocations += 1;
    return this.options.handler({ Records: records });
  }
}

/** Index of the first record Lambda would retry from, or -1 when the batch succeeded. */
function firstFailedIndex(records: DynamoDBRecord[], response: DynamoDBBatchResponse | void): number {
  const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  if (failed.size === 0) return -1;
  const index = records.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
  return index < 0 ? 0 : index; // an identifier we do not know fails the whole batch, as Lambda does
}
