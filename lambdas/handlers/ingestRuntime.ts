import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ArticleValidator } from '../core/article/index.js';
import { loadPublisherConfigFromEnv } from '../core/config/index.js';
import type { IngestDeps } from '../core/ingest/index.js';
import { ArticleStore } from '../core/storage/index.js';
import { ENV, requireEnv } from './environment.js';

/** Ingest dependencies, built once per Lambda container from its environment. */
export function ingestDepsFromEnv(env: NodeJS.ProcessEnv = process.env): IngestDeps {
  const config = loadPublisherConfigFromEnv(env);
  return { validator: new ArticleValidator(config), store: new ArticleStore(new DynamoDBClient({}), requireEnv(ENV.tableName, env), { tagFeeds: config.tagFeeds }) };
}
