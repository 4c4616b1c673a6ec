import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { S3Client } from '@aws-sdk/client-s3';
import type { PublisherConfig } from '../lambdas/core/config/index.js';
import { articleRepository } from '../lambdas/adapters/aws/dynamoArticleRepository.js';
import { backfillFeeds, type BackfillReport, type IngestDeps, type IngestResult } from '../lambdas/core/ingest/index.js';
import { allTargets } from '../lambdas/core/feeds/index.js';
import { knownTargets, publishFeed, publishNewsSitemap, publishSiteDocuments, type CdnInvalidator, type CoordinatedPublishingDeps, type HubNotifier } from '../lambdas/core/publish/index.js';
import { absoluteUrl, feedPagePath, feedUrls as feedUrlsOf, SITE_PATHS } from '../lambdas/core/urls.js';
import { regenerationFilterPatternsFor } from '../lambdas/core/stream/index.js';
import { createIngestHandler } from '../lambdas/handlers/ingest.js';
import { createPublicationDueHandler } from '../lambdas/handlers/publicationDue.js';
import { createRegenerateHandler } from '../lambdas/handlers/regenerate.js';
import { reconcileArchives, type ReconcileReport } from '../operator/reconcileArchives.js';
import { DeadLetterLog } from './deadLetters.js';
import { openGatedServer, type GatedServer } from './gatedServer.js';
import { localDeps } from './localDeps.js';
import type { LocalPublicationScheduler } from './localPublicationScheduler.js';
import { createLocalRoutes } from './localRoutes.js';
import { createPartnerGate } from './partnerGate.js';
import { ensureBucket, ensureTable, ingestContentDir, publishContentMedia } from './startupState.js';
import { StreamPoller, type StreamHandler, type StreamPollerOptions } from './streamPoller.js';

export interface LocalPublisherOptions {
  config: PublisherConfig;
  clients: { dynamo: DynamoDBClient; streams: DynamoDBStreamsClient; s3: S3Client };
  tableName: string;
  bucket: string;
  /** 0 picks a free port; ignored when `server` is given. */
  port: number;
  /** A listener opened earlier (bin/local.ts opens it first thing, so start-up requests get 503, not a refusal). */
  server?: GatedServer;
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
  /** Start-up steps and their durations, for `npm start`'s report; none by default. */
  onStep?: (step: string, ms: number) => void;
}

export interface LocalPublisher {
  url: string;
  streamArn: string;
  /** The current stream poller (a new one after resumeStream()). */
  readonly poller: StreamPoller;
  deadLetters: DeadLetterLog;
  ingestDeps: IngestDeps;
  publishingDeps: CoordinatedPublishingDeps;
  /** Timers of scheduled articles (armed from the regeneration path, re-armed at start-up). */
  scheduler: LocalPublicationScheduler;
  /** The regeneration Lambda's handler (unwrapped), e.g. for a second poller or a replay. */
  regenerate: StreamHandler;
  contentReport: { file: string; result: IngestResult }[];
  /** What the start-up reconciliation of the archives with the table did. */
  reconcileReport: ReconcileReport;
  /** What the start-up backfill of new feeds from the stored articles did. */
  backfillReport: BackfillReport;
  feedUrls(): string[];
  /** Answer 503 while the table is away (DynamoDB Local restarting). */
  suspend(reason: string): void;
  /** After the table came back: a new stream poller, the archives reconciled, every feed republished, then serving again. */
  resumeStream(): Promise<void>;
  close(): Promise<void>;
}

/** Logs the first stream failure of a run of them, then ever more rarely (2nd, 4th, 8th, …). */
function rareStreamErrorLog(error: unknown, consecutive: number): void {
  if ((consecutive & (consecutive - 1)) !== 0) return;
  console.error(JSON.stringify({ level: 'error', message: 'stream poll failed', consecutiveFailures: consecutive, error: String(error) }));
}

/**
 * The whole pipeline on this machine: the ingest Lambda's handler behind HTTP, the table's stream
 * polled like Lambda's event source mapping into the regeneration Lambda's handler, and the bucket
 * served like CloudFront. Every piece of publishing logic is the deployed one. The listener answers
 * 503 until content/ is ingested and every feed is published.
 */
export async function startLocalPublisher(options: LocalPublisherOptions): Promise<LocalPublisher> {
  const { config, clients, tableName, bucket } = options;
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const value = await run();
    options.onStep?.(name, performance.now() - started);
    return value;
  };
  const [server, streamArn] = await step('listener, table and bucket', () =>
    Promise.all([options.server ?? openGatedServer(options.port), ensureTable(clients.dynamo, tableName), ensureBucket(clients.s3, bucket)]),
  );
  const url = server.url;
  const { ingestDeps, publishingDeps, scheduler } = localDeps(options, url);
  // A timer delivers what a deployed schedule does, to the same function's publication-due handler.
  const publicationDue = createPublicationDueHandler(() => publishingDeps);
  scheduler.connect((event) => publicationDue(event));
  const deadLetters = new DeadLetterLog(options.deadLetterFile);
  await deadLetters.load();
  const handler = createRegenerateHandler(() => publishingDeps);
  const regenerate: StreamHandler = (event) => handler(event);
  const newPoller = () =>
    new StreamPoller({
      streams: clients.streams,
      streamArn,
      handler: options.wrapRegenerate ? options.wrapRegenerate(regenerate) : regenerate,
      filters: regenerationFilterPatternsFor(config),
      onDeadLetter: (letter) => deadLetters.add(letter),
      onError: rareStreamErrorLog,
      ...options.poller,
    });
  let poller = newPoller();
  await poller.start();

  const settleTimeoutMs = options.settleTimeoutMs ?? 15_000;
  const routes = createLocalRoutes({
    s3: clients.s3,
    bucket,
    streams: clients.streams,
    ingest: createIngestHandler(() => ingestDeps),
    settled: () => Promise.race([poller.settle().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), settleTimeoutMs).unref())]),
    deadLetters,
    regenerate,
    servePartnerObject: createPartnerGate({
      ...(options.partnerKeyFile && { keyFile: options.partnerKeyFile }),
      ...(options.partnerLog && { log: options.partnerLog }),
    }),
    reconcile: () => reconcileArchives(clients.dynamo, tableName, regenerate),
  });

  /**
   * A correct state whatever happened while we were down: feed entries by the current configuration
   * (new feeds filled from the stored articles; the stream regenerates what that touched), archives
   * from the table (which also arms the timers of scheduled articles and gives those that came due
   * their slots), every feed, the site documents and news sitemap.
   */
  const bringUpToDate = async () => {
    const backfill = await step('feeds backfilled from stored articles', () => backfillFeeds(articleRepository(clients.dynamo, tableName, config)));
    const report = await step('archives reconciled with the table', () => reconcileArchives(clients.dynamo, tableName, regenerate));
    const feeds = knownTargets(config, await publishingDeps.state.listFeeds());
    await step('every feed published', () => Promise.all([...feeds.map((target) => publishFeed(target, publishingDeps)), publishNewsSitemap(publishingDeps)]));
    await publishSiteDocuments(publishingDeps);
    return { report, backfill };
  };
  const { report: reconcileReport, backfill: backfillReport } = await bringUpToDate();
  if (options.contentDir) await step('content media uploaded', () => publishContentMedia(clients.s3, bucket, options.contentDir!));
  const contentReport = options.contentDir ? await step('content/ ingested', () => ingestContentDir(options.contentDir!, ingestDeps, url)) : [];
  await step('stream drained', () => poller.settle());
  server.ready(routes);

  const feedUrls = () => [
    absoluteUrl(url, SITE_PATHS.index),
    absoluteUrl(url, SITE_PATHS.opml),
    absoluteUrl(url, SITE_PATHS.newsSitemap),
    ...allTargets(config).flatMap((t) => [absoluteUrl(url, feedPagePath(t.basePath)), ...Object.values(feedUrlsOf(url, t.basePath))]),
  ];

  return {
    url,
    streamArn,
    get poller() {
      return poller;
    },
    deadLetters,
    ingestDeps,
    publishingDeps,
    scheduler,
    regenerate,
    contentReport,
    reconcileReport,
    backfillReport,
    feedUrls,
    suspend: (reason) => server.suspend(reason),
    async resumeStream() {
      await poller.stop();
      poller = newPoller();
      await poller.start();
      await bringUpToDate();
      server.ready(routes);
    },
    async close() {
      await server.close();
      await poller.stop();
      await scheduler.close();
    },
  };
}
