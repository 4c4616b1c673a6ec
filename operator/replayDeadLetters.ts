import { GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { DeadLetter, StreamBatchInfo } from '../lambdas/core/contracts/index.js';
import { toLambdaRecord } from './streamRecords.js';

/** Where dead letters come from (the SQS queue, or the local run's log) and how they are let go. */
export interface DeadLetterSource {
  receive(): Promise<{ letter: DeadLetter; ack(): Promise<void> }[]>;
}

/** Runs the regeneration on records: the deployed function, or the handler in process. */
export type RegenerationInvoker = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

export interface ReplayReport {
  replayed: number;
  stillFailing: { batch: StreamBatchInfo; reason: string }[];
}

const after = (a: string, b: string) => BigInt(a) > BigInt(b);

/**
 * The records of a dead-lettered batch, read back from the stream by sequence number (Lambda's
 * on-failure message names the batch but does not carry it). Streams keep records 24 hours.
 */
export async function fetchBatchRecords(streams: DynamoDBStreamsClient, batch: StreamBatchInfo): Promise<DynamoDBRecord[]> {
  let { ShardIterator: iterator } = await streams.send(
    new GetShardIteratorCommand({
      StreamArn: batch.streamArn,
      ShardId: batch.shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: batch.startSequenceNumber,
    }),
  );
  const records: DynamoDBRecord[] = [];
  while (iterator) {
    const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    for (const record of page.Records ?? []) {
      const sequence = record.dynamodb?.SequenceNumber ?? '0';
      if (after(sequence, batch.endSequenceNumber)) return records;
      records.push(toLambdaRecord(record, batch.streamArn));
    }
    if ((page.Records ?? []).length === 0) break; // reached the shard's current end
    iterator = page.NextShardIterator;
  }
  return records;
}

/**
 * Re-drives dead-lettered batches through the regeneration (after the cause was fixed: a corrected
 * article posted, an outage over). A batch whose replay succeeds is acknowledged (deleted from the
 * queue); one that fails again stays, with the reason reported.
 */
export async function replayDeadLetters(source: DeadLetterSource, invoke: RegenerationInvoker, streams: DynamoDBStreamsClient): Promise<ReplayReport> {
  const report: ReplayReport = { replayed: 0, stillFailing: [] };
  for (const { letter, ack } of await source.receive()) {
    const batch = letter.DDBStreamBatchInfo;
    try {
      const records = letter.records ?? (await fetchBatchRecords(streams, batch));
      if (records.length === 0) throw new Error('the batch is no longer in the stream (older than 24 hours?)');
      const response = await invoke({ Records: records });
      const failures = response?.batchItemFailures ?? [];
      if (failures.length > 0) throw new Error(`records still failing: ${failures.map((f) => f.itemIdentifier).join(', ')}`);
      await ack();
      report.replayed += 1;
    } catch (err) {
      report.stillFailing.push({ batch, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return report;
}
