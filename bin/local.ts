/**
 * `npm start`: the whole publisher on this machine. Starts DynamoDB Local and s3rver on free
 * loopback ports (data kept in .data/ between runs), then the local publisher on PORT (default
 * 3000): ingest API, stream poller driving the regeneration handler, CloudFront-like feed serving.
 */
import { join, resolve } from 'node:path';
import { loadPublisherConfigFromCdkJson } from '../lambdas/core/config/index.js';
import { startLocalPublisher } from '../local/localPublisher.js';
import { localAwsClients, startDynamoDbLocal, startS3rver } from '../local/servers.js';

const started = Date.now();
const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(process.env['DATA_DIR'] ?? join(root, '.data'));
const port = Number(process.env['PORT'] ?? 3000);

const config = loadPublisherConfigFromCdkJson(join(root, 'cdk.json'));
const [dynamo, s3] = await Promise.all([startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') }), startS3rver({ directory: join(dataDir, 's3') })]);
const stopServers = () => Promise.allSettled([dynamo.stop(), s3.stop()]);

let publisher: Awaited<ReturnType<typeof startLocalPublisher>> | undefined;
try {
  publisher = await startLocalPublisher({
    config,
    clients: localAwsClients({ dynamoEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint }),
    tableName: 'articles',
    bucket: 'feeds',
    port,
    contentDir: join(root, 'content'),
    deadLetterFile: join(dataDir, 'dead-letters.jsonl'),
    partnerKeyFile: join(dataDir, 'partner-keys.json'),
  });
} catch (err) {
  console.error(err);
  await stopServers();
  process.exit(1);
}

if (!publisher) process.exit(1);
for (const { file, result } of publisher.contentReport) {
  const detail = result.status === 'error' ? ` ${result.error}: ${result.errors.map((e) => `${e.field} ${e.message}`).join('; ')}` : '';
  console.log(`content/${file}: ${result.status}${detail}`);
}
console.log(`\nFeed publisher running at ${publisher.url} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
console.log(`  DynamoDB Local ${dynamo.endpoint}, s3rver ${s3.endpoint}, data in ${dataDir}`);
console.log('  POST /articles, DELETE /articles/{id}; start at the index page:');
for (const url of publisher.feedUrls()) console.log(`  ${url}`);
console.log(`  partner feeds (need a key: npm run partner -- add NAME): ${publisher.url}/partners/{section}/rss.xml | atom.xml | feed.json | ninjs.json`);
console.log('Ctrl-C stops everything.');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping`);
  await publisher?.close();
  await stopServers();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
