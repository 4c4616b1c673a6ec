import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { HelpRequested, runCli, UsageError, parseCommandArgs } from './cli.js';
import { lambdaInvoker, sqsDeadLetters } from './deadLetterSources.js';
import { replayDeadLetters, type ReplayReport } from './replayDeadLetters.js';

export const USAGE = `Usage: npm run replay -- --local [--port <n> | <url>]
       npm run replay -- --queue-url <url> --function-name <name> [--region <region>]

Re-drives dead-lettered stream batches through the regeneration once the cause is fixed. A batch
that succeeds leaves the dead-letter queue; one that fails again stays (exit code 1).

  --local          the running \`npm start\`: http://127.0.0.1:$PORT (default 3000), or the URL given
  --port           the local server's port (default $PORT, else 3000)
  --queue-url      stack output DeadLetterQueueUrl
  --function-name  stack output RegenerationFunctionName (credentials from the standard AWS chain)
  --region         the stack's region (default AWS_REGION)`;

export type ReplayTarget = { kind: 'local'; base: string } | { kind: 'aws'; queueUrl: string; functionName: string; region?: string };

/** `--local` (with PORT, --port or a URL), or a deployed stack's queue and function. */
export function localTarget(values: { local?: boolean; port?: string }, positionals: string[], env: NodeJS.ProcessEnv): string {
  if (positionals.length > 1) throw new UsageError(`unexpected arguments: ${positionals.slice(1).join(' ')}`);
  if (positionals[0] && values.port) throw new UsageError('give --port or a URL, not both');
  if (positionals[0]) {
    try {
      return new URL(positionals[0]).origin;
    } catch {
      throw new UsageError(`"${positionals[0]}" is not a URL`);
    }
  }
  const port = values.port ?? env['PORT'] ?? '3000';
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw new UsageError(`--port: "${port}" is not a port number`);
  return `http://127.0.0.1:${port}`;
}

export function parseReplayArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ReplayTarget {
  const parsed = parseCommandArgs(argv, {
    local: { type: 'boolean' },
    port: { type: 'string' },
    'queue-url': { type: 'string' },
    'function-name': { type: 'string' },
    region: { type: 'string' },
  });
  const { values, positionals } = parsed;
  if (values.help) throw new HelpRequested();
  const aws = values['queue-url'] !== undefined || values['function-name'] !== undefined;
  if (values.local && aws) throw new UsageError('--local excludes --queue-url and --function-name');
  if (values.local) return { kind: 'local', base: localTarget(values, positionals, env) };
  if (positionals.length > 0 || values.port) throw new UsageError('a URL or --port goes with --local');
  if (!values['queue-url'] || !values['function-name']) throw new UsageError('give --local, or both --queue-url and --function-name');
  return { kind: 'aws', queueUrl: values['queue-url'], functionName: values['function-name'], ...(values.region && { region: values.region }) };
}

async function replay(target: ReplayTarget): Promise<ReplayReport> {
  if (target.kind === 'local') {
    const response = await fetch(`${target.base}/dead-letters/replay`, { method: 'POST' }).catch((error: Error) => {
      throw new Error(`no local server at ${target.base} (${String(error.cause ?? error.message)}); is \`npm start\` running on that port?`);
    });
    if (response.status !== 200 && response.status !== 409) throw new Error(`${target.base} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    return (await response.json()) as ReplayReport;
  }
  const region = target.region ? { region: target.region } : {};
  return replayDeadLetters(sqsDeadLetters(new SQSClient(region), target.queueUrl), lambdaInvoker(new LambdaClient(region), target.functionName), new DynamoDBStreamsClient(region));
}

export function main(argv: readonly string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process): Promise<number> {
  return runCli(
    'replay',
    USAGE,
    async () => {
      const target = parseReplayArgs(argv);
      io.stderr.write(`replay: ${target.kind === 'local' ? `local server ${target.base}` : `queue ${target.queueUrl} → function ${target.functionName}`}\n`);
      const report = await replay(target);
      io.stdout.write(`replayed ${report.replayed} batch(es); ${report.stillFailing.length} still failing\n`);
      for (const f of report.stillFailing) io.stdout.write(`  shard ${f.batch.shardId} ${f.batch.startSequenceNumber}..${f.batch.endSequenceNumber}: ${f.reason}\n`);
      return report.stillFailing.length ? 1 : 0;
    },
    io,
  );
}
