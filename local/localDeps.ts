import { ArticleValidator } from '../lambdas/core/article/index.js';
import type { IngestDeps } from '../lambdas/core/ingest/index.js';
import { BackgroundHubNotifier, feedCacheControl, FeedStore, noInvalidation, SectionStateStore, type CoordinatedPublishingDeps } from '../lambdas/core/publish/index.js';
import { ArchiveStore, ArticleStore } from '../lambdas/core/storage/index.js';
import type { LocalPublisherOptions } from './localPublisher.js';

/** The ingest and publishing dependencies of the local run: the deployed shapes on the local clients. */
export function localDeps(options: LocalPublisherOptions, url: string): { ingestDeps: IngestDeps; publishingDeps: CoordinatedPublishingDeps } {
  const { config, clients, tableName, bucket } = options;
  const store = new ArticleStore(clients.dynamo, tableName, { tagFeeds: config.tagFeeds });
  const ingestDeps: IngestDeps = { validator: new ArticleValidator(config), store };
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
  return { ingestDeps, publishingDeps };
}
