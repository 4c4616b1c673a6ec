import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { BucketAlreadyOwnedByYou, CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { ArticleValidator } from '../lambdas/core/article/index.js';
import type { PublisherConfig } from '../lambdas/core/config/index.js';
import { CONTENT_FILE, ingestContentFiles, MEDIA_PREFIX } from '../lambdas/core/content/index.js';
import type { IngestDeps, IngestResult } from '../lambdas/core/ingest/index.js';
import {
  allTargets,
  BackgroundHubNotifier,
  feedCacheControl,
  FeedStore,
  noInvalidation,
  publishFeed,
  publishSiteDocuments,
  SectionStateStore,
  type CdnInvalidator,
  type CoordinatedPublishingDeps,
  type HubNotifier,
} from '../lambdas/core/publish/index.js';
import { FEED_FORMATS, FORMAT_NAMES } from '../lambdas/core/render/index.js';
import { ArchiveStore, ArticleStore, createArticleTable } from '../lambdas/core/storage/index.js';
import { regenerationFilterPatternsFor } from '../lambdas/core/stream/index.js';
import { createIngestHandler } from '../lambdas/handlers/ingest.js';
import { createRegenerateHandler } from '../lambdas/handlers/regenerate.js';
import { replayDeadLetters } from '../lib/operator/replayDeadLetters.js';
import { DeadLetterLog } from './deadLetters.js';
import { serveObject } from './feedServer.js';
import { createPartnerGate } from './partnerGate.js';
import { PayloadTooLargeError, readBody, sendHttpApiResult, toHttpApiEvent } from './httpApiEvent.js';
import { StreamPoller, type StreamHandler, type StreamPollerOptions } from './streamPoller.js';

export interface LocalPublisherOptions {
  config: PublisherConfig;
  clients: { dynamo: DynamoDBClient; streams: DynamoDBStreamsClient; s3: S3Client };
  tableName: string;
  bucket: string;
  /** 0 picks a free port. */
  port: number;
  /** Folder of content files ingested at start-up. */
  contentDir?: string;
  deadLetterFile?: string;
  poller?: Partial<Omit<StreamPollerOptions, 'streams' | 'streamArn' | 'handler'>>;
  /** Lets tests count or disturb regeneration invocations; the handler itself is the Lambda's. */
  wrapRegenerate?: (handler: StreamHandler) => StreamHandler;
  /** Stands in for CloudFront invalidation (tests count paths); none by default. */
  cdn?: CdnInvalidator;
  /** WebSub notifier; by default pings the configured hubs in the background. */
  hubs?: HubNotifier;
  /** How long a write request waits for its change to reach the feeds. */
  settleTimeoutMs?: number;
  /** Partner key digests for `/partners/*` (`npm run partner`); without it every partner request is refused. */
  partnerKeyFile?: string;
  /** Where the partner function's log lines go; stdout by default. */
  partnerLog?: (line: string) => void;
}

export interface LocalPublisher {
  url: string;
  streamArn: string;
  poller: StreamPoller;
  deadLetters: DeadLetterLog;
  ingestDeps: IngestDeps;
  publishingDeps: CoordinatedPublishingDeps;
  /** The regeneration Lambda's handler (unwrapped), e.g. for a second poller or a replay. */
  regenerate: StreamHandler;
  contentReport: { file: string; result: IngestResult }[];
  feedUrls(): string[];
  close(): Promise<void>;
}

async function ensureTable(dynamo: DynamoDBClient, tableName: string): Promise<string> {
  try {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.LatestStreamArn) return Table.LatestStreamArn;
    throw new Error(`Table ${tableName} exists without a stream`);
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return createArticleTable(dynamo, tableName);
    throw err;
  }
}

async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (err) {
    if (!(err instanceof BucketAlreadyOwnedByYou) && (err as { name?: string }).name !== 'BucketAlreadyExists') throw err;
  }
}

/** Reads every content file of a folder and ingests them like any other batch. */
export async function ingestContentDir(dir: string, deps: IngestDeps, feedsOrigin: string): Promise<{ file: string; result: IngestResult }[]> {
  const names = (await readdir(dir)).filter((f) => CONTENT_FILE.test(f)).sort();
  const files = await Promise.all(names.map(async (name) => ({ name, text: await readFile(join(dir, name), 'utf8') })));
  return ingestContentFiles(files, deps, { feedsOrigin });
}

const listen = (server: Server, port: number) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

/**
 * The whole pipeline on this machine: the ingest Lambda's handler behind HTTP, the table's stream
 * polled like Lambda's event source mapping into the regeneration Lambda's handler, and the bucket
 * served like CloudFront. Every piece of publishing logic is the deployed one.
 */
export async function startLocalPublisher(options: LocalPublisherOptions): Promise<LocalPublisher> {
  const { config, clients, tableName, bucket } = options;
  const [streamArn] = await Promise.all([ensureTable(clients.dynamo, tableName), ensureBucket(clients.s3, bucket)]);

  const server = createServer();
  const port = await listen(server, options.port);
  const url = `http://127.0.0.1:${port}`;

  const store = new ArticleStore(clients.dynamo, tableName, { tagFeeds: config.tagFeeds });
  const ingestDeps: IngestDeps = { validator: new ArticleValidator(config, { feedsOrigin: url }), store };
  const publishingDeps: CoordinatedPublishingDeps = {
    config,
    store,
    feeds: new FeedStore(clients.s3, bucket, feedCacheControl(config.feedMaxAgeSeconds)),
    cdn: options.cdn ?? noInvalidation,
    feedBaseUrl: url,
    state: new SectionStateStore(clients.dynamo, tableName),
    leaseTtlMs: 10_000,
    maxWaitMs: 15_000,
    hubs: options.hubs ?? new BackgroundHubNotifier(config.websubHubs),
    archive: new ArchiveStore(clients.dynamo, tableName, config.archivePageSize),
  };
  const deadLetters = new DeadLetterLog(options.deadLetterFile);
  await deadLetters.load();
  const handler = createRegenerateHandler(() => publishingDeps);
  const regenerate: StreamHandler = (event) => handler(event);
  const poller = new StreamPoller({
    streams: clients.streams,
    streamArn,
    handler: options.wrapRegenerate ? options.wrapRegenerate(regenerate) : regenerate,
    filters: regenerationFilterPatternsFor(config),
    onDeadLetter: (letter) => deadLetters.add(letter),
    onError: (error) => console.error(JSON.stringify({ level: 'error', message: 'stream poll failed', error: String(error) })),
    ...options.poller,
  });
  await poller.start();

  const ingest = createIngestHandler(() => ingestDeps);
  const settleTimeoutMs = options.settleTimeoutMs ?? 15_000;
  const settled = () =>
    Promise.race([poller.settle().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), settleTimeoutMs).unref())]);

  const servePartnerObject = createPartnerGate({
    ...(options.partnerKeyFile && { keyFile: options.partnerKeyFile }),
    ...(options.partnerLog && { log: options.partnerLog }),
  });

  const feedUrls = () => [
    `${url}/feeds/index.html`,
    `${url}/feeds/index.opml`,
    ...allTargets(config).flatMap((t) => [`${url}/${t.basePath}/index.html`, ...FORMAT_NAMES.map((f) => `${url}/${t.basePath}/${FEED_FORMATS[f].file}`)]),
  ];

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      console.error(JSON.stringify({ level: 'error', message: 'request failed', error: String(err) }));
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal error\n');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', url).pathname;
    const method = req.method ?? 'GET';
    if (path === '/articles' || path.startsWith('/articles/')) {
      let body: string;
      try {
        body = await readBody(req);
      } catch (err) {
        if (err instanceof PayloadTooLargeError) return void res.writeHead(413, { 'content-type': 'text/plain' }).end(`${err.message}\n`);
        throw err;
      }
      const result = await ingest(toHttpApiEvent(req, body));
      // The change is in the feeds when the response returns: wait for the stream to be drained.
      if ((result.statusCode ?? 500) < 300 && !(await settled())) {
        result.headers = { ...result.headers, warning: '199 - "stored; feeds not yet regenerated"' };
      }
      return sendHttpApiResult(res, result);
    }
    if (path === '/dead-letters' && method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(JSON.stringify({ letters: deadLetters.letters }));
    }
    if (path === '/dead-letters/replay' && method === 'POST') {
      const report = await replayDeadLetters(deadLetters, regenerate, clients.streams);
      res.writeHead(report.stillFailing.length ? 409 : 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(JSON.stringify(report));
    }
    if (path.startsWith('/feeds/') || path.startsWith(`/${MEDIA_PREFIX}`)) {
      if (method !== 'GET' && method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
      // Like the distribution's directory-index function: /feeds/x/ is /feeds/x/index.html.
      const key = decodeURIComponent(path.slice(1)) + (path.endsWith('/') ? 'index.html' : '');
      return serveObject(req, res, clients.s3, bucket, key);
    }
    if (path.startsWith('/partners/')) {
      if (method !== 'GET' && method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return servePartnerObject(req, res, clients.s3, bucket);
    }
    if (path === '/' && (method === 'GET' || method === 'HEAD')) {
      return void res.writeHead(302, { location: '/feeds/index.html', 'cache-control': 'no-cache' }).end();
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
  }

  // Start from a correct state whatever happened while we were down (or the base URL changed).
  await Promise.all(allTargets(config).map((target) => publishFeed(target, publishingDeps)));
  await publishSiteDocuments(publishingDeps);
  const contentReport = options.contentDir ? await ingestContentDir(options.contentDir, ingestDeps, url) : [];
  await poller.settle();

  return {
    url,
    streamArn,
    poller,
    deadLetters,
    ingestDeps,
    publishingDeps,
    regenerate,
    contentReport,
    feedUrls,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await poller.stop();
    },
  };
}
