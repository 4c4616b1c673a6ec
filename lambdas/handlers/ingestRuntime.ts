import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { articleRepository } from '../adapters/aws/dynamoArticleRepository.js';
import { ArticleValidator } from '../core/article/index.js';
// The config module itself, not its index: the index also carries the zod schema (synth-time validation).
import { loadPublisherConfigFromEnv } from '../core/config/fromEnv.js';
import type { IngestDeps } from '../core/ingest/index.js';
import { ENV, requireEnv } from './environment.js';

/** Ingest dependencies, built once per Lambda container from its environment (the same article repository publishing uses). */
export function ingestDepsFromEnv(env: NodeJS.ProcessEnv = process.env, dynamo = new DynamoDBClient({})): IngestDeps {
  const config = loadPublisherConfigFromEnv(env);
  return { validator: new ArticleValidator(config), store: articleRepository(dynamo, requireEnv(ENV.tableName, env), config) };
}
