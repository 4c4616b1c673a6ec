/**
 * `npm run replay`: re-drives dead-lettered stream batches through the regeneration, once the
 * cause is fixed. A batch that succeeds leaves the dead-letter queue; one that fails again stays.
 *
 *   npm run replay -- --local [http://127.0.0.1:3000]               the running `npm start`
 *   npm run replay -- --queue-url URL --function-name NAME [--region R]   a deployed stack
 *                                          (both are stack outputs: DeadLetterQueueUrl, RegenerationFunctionName)
 */
import { parseArgs } from 'node:util';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { lambdaInvoker, sqsDeadLetters } from '../operator/deadLetterSources.js';
import { replayDeadLetters, type ReplayReport } from '../operator/replayDeadLetters.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { local: { type: 'boolean' }, 'queue-url': { type: 'string' }, 'function-name': { type: 'string' }, region: { type: 'string' } },
});

let report: ReplayReport;
if (values.local) {
  const base = positionals[0] ?? `http://127.0.0.1:${process.env['PORT'] ?? 3000}`;
  const response = await fetch(`${base}/dead-letters/replay`, { method: 'POST' });
  report = (await response.json()) as ReplayReport;
} else if (values['queue-url'] && values['function-name']) {
  const region = values.region ? { region: values.region } : {};
  report = await replayDeadLetters(
    sqsDeadLetters(new SQSClient(region), values['queue-url']),
    lambdaInvoker(new LambdaClient(region), values['function-name']),
    new DynamoDBStreamsClient(region),
  );
} else {
  console.error('usage: npm run replay -- --local [URL] | --queue-url URL --function-name NAME [--region R]');
  process.exit(2);
}
console.log(`replayed ${report.replayed} batch(es); ${report.stillFailing.length} still failing`);
for (const f of report.stillFailing) console.log(`  shard ${f.batch.shardId} ${f.batch.startSequenceNumber}..${f.batch.endSequenceNumber}: ${f.reason}`);
process.exitCode = report.stillFailing.length ? 1 : 0;
