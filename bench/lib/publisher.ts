/**
 * The local publisher (the deployed handlers behind HTTP, the stream poller, CloudFront-like
 * serving) on the bench's servers, instrumented: SDK calls, uploads, the CDN invalidations the
 * regeneration requests, and every regeneration invocation with its duration.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { Article } from '../../lambdas/core/article/index.js';
import type { PublisherConfig } from '../../lambdas/core/config/index.js';
import { createArticleTable } from '../../lambdas/adapters/aws/articleTable.js';
import { sectionPk } from '../../lambdas/core/storage/index.js';
import { membershipRules } from '../../lambdas/core/feeds/index.js';
import { startLocalPublisher, type LocalPublisher } from '../../local/localPublisher.js';
import type { StreamPollerOptions } from '../../local/streamPoller.js';
import { instrumentDynamo, instrumentS3, type Counters, type DynamoCalls, type S3Calls } from './instrument.js';
import type { LocalServers } from './localStack.js';
import { seedArticles } from './seed.js';

export interface Invocation {
  ms: number;
  records: number;
}

export interface BenchPublisher {
  publisher: LocalPublisher;
  config: PublisherConfig;
  dynamo: Counters<DynamoCalls>;
  s3: Counters<S3Calls>;
  invocations: Invocation[];
  /** Paths passed to the CDN invalidator (CloudFront on AWS), one entry per path. */
  invalidations: string[];
  post(body: unknown): Promise<{ status: number; json: unknown; ms: number }>;
  close(): Promise<void>;
}

export type PollerSettings = Pick<StreamPollerOptions, 'batchingWindowMs' | 'batchSize' | 'pollIntervalMs'>;

const SECTION_PARTITION = sectionPk('').replace(/#$/, '');

/**
 * Renders of a section feed = first-page Queries on a section's entry partition with the feed's
 * size as Limit: regenerateFeed makes exactly one per render, and one more for each time it caught
 * up with changes stored meanwhile (the news sitemap reads the same partitions with its own
 * limits, 10 and ×4 from there, which are not renders of the feed).
 */
export const renders = (calls: DynamoCalls, itemsPerFeed = 50) => calls.queriesByLimit[`${SECTION_PARTITION} ${itemsPerFeed}`] ?? 0;

/** Looks a catching-up render of a section took at its entries' versions (projected Queries, no documents). */
export const looks = (calls: DynamoCalls, itemsPerFeed = 50) => calls.queriesByLimit[`${SECTION_PARTITION} ${itemsPerFeed} versions`] ?? 0;

/** Renders of tag and author feeds, counted the same way. */
export const extraFeedRenders = (calls: DynamoCalls, itemsPerFeed = 50) =>
  (calls.queriesByLimit[`TAG ${itemsPerFeed}`] ?? 0) + (calls.queriesByLimit[`AUTHOR ${itemsPerFeed}`] ?? 0);

export async function startBenchPublisher(
  servers: LocalServers,
  config: PublisherConfig,
  seed: readonly Article[],
  poller: PollerSettings,
): Promise<BenchPublisher> {
  const clients = servers.clients();
  const tableName = servers.uniqueName('fresh');
  const bucket = servers.uniqueName('feeds');
  await createArticleTable(clients.dynamo, tableName);
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  // Stored as ingest stores them: with the entries of every feed the configuration gives them (tag and author feeds included).
  await seedArticles(clients.dynamo, tableName, seed, { store: { membership: membershipRules(config) } });
  const dynamo = instrumentDynamo(clients.dynamo);
  const s3 = instrumentS3(clients.s3);
  const invocations: Invocation[] = [];
  const invalidations: string[] = [];
  const publisher = await startLocalPublisher({
    config,
    clients,
    tableName,
    bucket,
    port: 0,
    poller,
    cdn: { invalidate: async (paths) => void invalidations.push(...new Set(paths)) },
    hubs: { notify: async () => {} },
    wrapRegenerate: (handler) => async (event: DynamoDBStreamEvent) => {
      const t = performance.now();
      try {
        return await handler(event);
      } finally {
        invocations.push({ ms: performance.now() - t, records: event.Records.length });
      }
    },
  });
  return {
    publisher,
    config,
    dynamo,
    s3,
    invocations,
    invalidations,
    async post(body) {
      const t = performance.now();
      const res = await fetch(`${publisher.url}/articles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const json: unknown = await res.json();
      return { status: res.status, json, ms: performance.now() - t };
    },
    close: () => publisher.close(),
  };
}
