import { createPublishingDeps } from '../lambdas/adapters/aws/publishingDeps.js';
import { ArticleValidator } from '../lambdas/core/article/index.js';
import type { IngestDeps } from '../lambdas/core/ingest/index.js';
import { BackgroundHubNotifier, type CoordinatedPublishingDeps } from '../lambdas/core/publish/index.js';
import type { LocalPublisherOptions } from './localPublisher.js';

/** The ingest and publishing dependencies of the local run: the deployed shapes on the local clients, from the one constructor. */
export function localDeps(options: LocalPublisherOptions, url: string): { ingestDeps: IngestDeps; publishingDeps: CoordinatedPublishingDeps } {
  const { config, clients, tableName, bucket } = options;
  const publishingDeps = createPublishingDeps(clients, {
    config,
    tableName,
    bucket,
    feedBaseUrl: url,
    leaseTtlMs: 10_000,
    maxWaitMs: 15_000,
    ...(options.cdn && { cdn: options.cdn }),
    hubs: options.hubs ?? new BackgroundHubNotifier(config.websubHubs),
  });
  const ingestDeps: IngestDeps = { validator: new ArticleValidator(config, { feedsOrigin: url }), store: publishingDeps.store };
  return { ingestDeps, publishingDeps };
}
