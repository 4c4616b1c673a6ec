/**
 * `npm start`: the whole publisher on this machine. Opens the HTTP listener on PORT first (503
 * until ready), starts DynamoDB Local and s3rver on free loopback ports (data in DATA_DIR, default
 * .data/), then the local publisher. SIGINT, SIGTERM and SIGHUP stop every child, as does the
 * parent going away (npm runs the script through sh, which does not forward signals).
 */
import { join } from 'node:path';
import { loadPublisherConfigFromCdkJson } from '../lambdas/core/config/index.js';
import { localDataDir, parseCommandArgs, quietAwsSdk, repositoryPath, SUPPORTED_NODE, UsageError } from '../operator/cli.js';
import { startDynamoDbLocal } from './dynamoDbLocal.js';
import { openGatedServer } from './gatedServer.js';
import { localAwsClients } from './localAws.js';
import { startLocalPublisher, type LocalPublisher } from './localPublisher.js';
import { RESET_ENTRIES, resetLocalData } from './resetData.js';
import { startS3rver } from './s3rver.js';
import { superviseDynamoDb } from './supervisor.js';

const USAGE = `Usage: npm start [-- --reset]      (PORT=3000 DATA_DIR=.data by default)

Starts DynamoDB Local, s3rver and the local publisher on 127.0.0.1:$PORT; ingests content/ and
publishes every feed. Ctrl-C or SIGTERM stops everything.
  --reset   start over: remove the table, the bucket and the dead letters from DATA_DIR
            (${RESET_ENTRIES.join(', ')}; partner keys are kept), so only content/ is published
${SUPPORTED_NODE}`;

export async function main(argv: readonly string[]): Promise<void> {
  let reset = false;
  try {
    const { values, positionals } = parseCommandArgs(argv, { reset: { type: 'boolean' } });
    if (values.help) return void console.log(USAGE);
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    reset = values.reset === true;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`start: ${error.message} (see: npm start -- --help)`);
    process.exit(2);
  }
  quietAwsSdk();
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(2)} s`;
  const dataDir = localDataDir();
  const port = Number(process.env['PORT'] ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT: "${process.env['PORT']}" is not a port number`);
    process.exit(2);
  }
  const steps: string[] = [];
  const stepDone = (name: string, ms: number) => steps.push(`${name} ${(ms / 1000).toFixed(2)} s`);

  let publisher: LocalPublisher | undefined;
  const stops: (() => Promise<unknown>)[] = [];
  let stopping = false;
  const shutdown = async (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${why}: stopping`);
    await publisher?.close().catch(() => undefined);
    await Promise.allSettled(stops.map((stop) => stop()));
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal, 0));
  // If the parent (npm's sh) goes away without passing a signal on, we are re-parented: stop too.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void shutdown('parent process exited', 0), 500).unref();

  const server = await openGatedServer(port).catch((error: Error) => {
    console.error(`Cannot listen on 127.0.0.1:${port}: ${error.message} (set PORT to another port)`);
    process.exit(1);
  });
  stops.push(() => server.close());
  // Only once this port is ours: a server already running here keeps its data.
  if (reset) {
    const removed = resetLocalData(dataDir);
    console.log(`--reset: ${removed.length ? `removed ${removed.join(', ')} from` : 'nothing to remove in'} ${dataDir}`);
  }
  const config = loadPublisherConfigFromCdkJson(repositoryPath('cdk.json'));
  const dynamoStarted = performance.now();
  const [dynamo, s3] = await Promise.all([
    startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') }).then((d) => (stepDone('DynamoDB Local', performance.now() - dynamoStarted), d)),
    startS3rver({ directory: join(dataDir, 's3') }).then((s) => (stepDone('s3rver', performance.now() - dynamoStarted), s)),
  ]).catch(async (error: Error) => {
    console.error(`Start-up failed: ${error.message}`);
    await Promise.allSettled(stops.map((stop) => stop()));
    process.exit(1);
  });
  stops.push(() => s3.stop());
  const supervisor = superviseDynamoDb(dynamo, join(dataDir, 'dynamodb'), {
    onDown: (description) => publisher?.suspend(`DynamoDB Local is restarting (${description.split('\n')[0]})`),
    onRestarted: async () => publisher?.resumeStream(),
    onGiveUp: (message) => {
      console.error(message);
      void shutdown('DynamoDB Local cannot be restarted', 1);
    },
  });
  stops.push(() => supervisor.current().stop());

  try {
    publisher = await startLocalPublisher({
      config,
      clients: localAwsClients({ dynamoEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint }),
      tableName: 'articles',
      bucket: 'feeds',
      port,
      server,
      contentDir: repositoryPath('content'),
      deadLetterFile: join(dataDir, 'dead-letters.jsonl'),
      partnerKeyFile: join(dataDir, 'partner-keys.json'),
      onStep: stepDone,
    });
  } catch (error) {
    console.error(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    return shutdown('start-up failed', 1);
  }

  for (const { file, result } of publisher.contentReport) {
    const detail =
      result.status === 'error' ? ` ${result.error}: ${result.errors.map((e) => `${e.field} ${e.message}`).join('; ')}` : result.status === 'scheduled' ? ` (goes out at ${result.publishAt})` : '';
    console.log(`content/${file}: ${result.status}${detail}`);
  }
  const { articles, failed } = publisher.reconcileReport;
  console.log(`archives reconciled with the table: ${articles} article(s)${failed.length ? `, ${failed.length} FAILED: ${failed.join(', ')}` : ''}`);
  console.log(`\nFeed publisher running at ${publisher.url} (ready in ${elapsed()}: ${steps.join(', ')})`);
  console.log(`  DynamoDB Local ${dynamo.endpoint}, s3rver ${s3.endpoint}, data in ${dataDir}`);
  console.log('  POST /articles, DELETE /articles/{id}; start at the index page:');
  for (const url of publisher.feedUrls()) console.log(`  ${url}`);
  console.log(`  partner feeds (need a key: npm run partner -- add NAME): ${publisher.url}/partners/{section}/rss.xml | atom.xml | feed.json | ninjs.json`);
  console.log('Ctrl-C stops everything.');
}
