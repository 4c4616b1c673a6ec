import { createPublishingDeps } from '../lambdas/adapters/aws/publishingDeps.js';
import { ArticleValidator } from '../lambdas/core/article/index.js';
import type { IngestDeps } from '../lambdas/core/ingest/index.js';
import { BackgroundHubNotifier, type CoordinatedPublishingDeps } from '../lambdas/core/publish/index.js';
import type { LocalPublisherOptions } from './localPublisher.js';
import { LocalPublicationScheduler } from './localPublicationScheduler.js';

/** The ingest and publishing dependencies of the local run: the deployed shapes on the local clients, from the one constructor. */
export function localDeps(
  options: LocalPublisherOptions,
  url: string,
): { ingestDeps: IngestDeps; publishingDeps: CoordinatedPublishingDeps; scheduler: LocalPublicationScheduler } {
  const { config, clients, tableName, bucket } = options;
  // Scheduled articles' timers, in process (EventBridge Scheduler's part when deployed).
  const scheduler = new LocalPublicationScheduler({
    onError: (publication, error, attempt) =>
      console.error(JSON.stringify({ level: 'error', message: 'scheduled publication failed', id: publication.articleId, attempt, error: String(error) })),
  });
  const publishingDeps = createPublishingDeps(clients, {
    config,
    tableName,
    bucket,
    feedBaseUrl: url,
    leaseTtlMs: 10_000,
    maxWaitMs: 15_000,
    ...(options.cdn && { cdn: options.cdn }),
    hubs: options.hubs ?? new BackgroundHubNotifier(config.websubHubs),
    scheduler,
  });
  const ingestDeps: IngestDeps = { validator: new ArticleValidator(config, { feedsOrigin: url }), store: publishingDeps.store };
  return { ingestDeps, publishingDeps, scheduler };
}
