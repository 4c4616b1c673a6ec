import { ArticleValidator, type Article } from '../../lambdas/core/article/index.js';
import type { PublisherConfig } from '../../lambdas/core/config/index.js';
import { createArticleTable } from '../../lambdas/adapters/aws/articleTable.js';
import { createPublishingDeps } from '../../lambdas/adapters/aws/publishingDeps.js';
import type { CdnInvalidator } from '../../lambdas/core/publish/index.js';
import { testConfig } from './factories.js';
import { createTestBucket, localClients, type LocalClients, uniqueName } from './localAws.js';

/** Counts invalidated paths: stands in for CloudFront. */
export function countingCdn(): CdnInvalidator & { paths: string[] } {
  const paths: string[] = [];
  return { paths, invalidate: async (p) => void paths.push(...p) };
}

/** Regeneration dependencies on a fresh table and bucket of the shared local servers. */
export async function freshPublishingDeps(options: { clients?: LocalClients; config?: PublisherConfig } = {}) {
  const clients = options.clients ?? localClients();
  const config = options.config ?? testConfig();
  const table = uniqueName('pub');
  await createArticleTable(clients.dynamo, table);
  const bucket = await createTestBucket(clients.s3, 'pub');
  const cdn = countingCdn();
  const deps = createPublishingDeps(clients, { config, tableName: table, bucket, cdn, feedBaseUrl: 'https://feeds.test.example', leaseTtlMs: 10_000, maxWaitMs: 10_000, pollMs: 10, archive: false });
  const { store } = deps;
  const validator = new ArticleValidator(config);
  const article = (record: Record<string, unknown>): Article => {
    const parsed = validator.parse(record);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return parsed.article;
  };
  return { clients, config, table, bucket, cdn, store, deps, article };
}
