import type { S3Event, S3EventRecord } from 'aws-lambda';
import { INBOX_PREFIX } from '../core/contracts/index.js';
import { articleIdFromFileName, CONTENT_FILE } from '../core/content/index.js';
import { ingestArticles, retractArticle, type IngestDeps } from '../core/ingest/index.js';
import { describeFieldErrors, readContentRecord } from '../core/content/index.js';
import { ENV, requireEnv } from './environment.js';
import { log } from './log.js';
import { ingestDepsFromEnv } from './ingestRuntime.js';
import { S3ObjectReader, type ObjectReader } from '../adapters/aws/s3ObjectReader.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { lazy } from './lazy.js';

export interface ContentInboxDeps {
  ingest: IngestDeps;
  /** The inbox bucket's files (GetObject, HeadObject). */
  objects: ObjectReader;
  /** The feeds host: content files' `media/...` references resolve against it. */
  feedsOrigin?: string;
}

export type InboxOutcome = { key: string; action: 'ingest' | 'retract' | 'skip'; status: string };

/** S3 event keys are URL-encoded with `+` for spaces. */
export const eventObjectKey = (record: S3EventRecord) => decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));

/** A content file that cannot be published: thrown so the invocation fails, is retried, then dead-lettered and alarmed on. */
export class ContentFileError extends Error {
  override readonly name = 'ContentFileError';
}

/**
 * S3 notifications of the content inbox: a created file is parsed and ingested (same validation and
 * version rules as the API), a removed file retracts its article. S3 does not order events, so each
 * one is checked against the bucket's present state: a create whose object is gone again is skipped
 * (its removal event retracts), a removal whose object is back is skipped (its create event ingests).
 */
export function createContentInboxHandler(deps: () => ContentInboxDeps) {
  return async (event: S3Event): Promise<InboxOutcome[]> => {
    const outcomes: InboxOutcome[] = [];
    const failures: string[] = [];
    for (const record of event.Records) {
      const bucket = record.s3.bucket.name;
      const key = eventObjectKey(record);
      const file = key.slice(key.lastIndexOf('/') + 1);
      if (!key.startsWith(INBOX_PREFIX) || !CONTENT_FILE.test(file)) {
        outcomes.push({ key, action: 'skip', status: 'not a content file' });
        continue;
      }
      const { objects, ingest, feedsOrigin } = deps();
      if (record.eventName.startsWith('ObjectRemoved')) {
        if (await objects.exists(bucket, key)) {
          outcomes.push({ key, action: 'skip', status: 'file exists again' });
          continue;
        }
        const id = articleIdFromFileName(file);
        const status = await retractArticle(id, ingest);
        log('info', 'content file removed', { key, id, status });
        outcomes.push({ key, action: 'retract', status });
        continue;
      }
      const text = await objects.read(bucket, key);
      if (text === undefined) {
        outcomes.push({ key, action: 'skip', status: 'file removed again' });
        continue;
      }
      const parsed = readContentRecord(file, text, feedsOrigin ? { feedsOrigin } : {});
      const [result] = parsed.ok ? await ingestArticles([parsed.record], ingest) : [];
      if (!parsed.ok || result?.status === 'error') {
        const errors = parsed.ok ? (result as { errors: { field: string; message: string }[] }).errors : parsed.errors;
        const message = `${key}: ${describeFieldErrors(errors)}`;
        log('error', 'content file rejected', { key, id: parsed.id, errors });
        failures.push(message);
        outcomes.push({ key, action: 'ingest', status: 'error' });
        continue;
      }
      if (result!.status === 'ignored-older') log('warn', 'content file is older than the stored article; ignored', { key, id: parsed.id });
      else log('info', 'content file ingested', { key, id: parsed.id, status: result!.status, ...(result!.status === 'scheduled' && { publishAt: result!.publishAt }) });
      outcomes.push({ key, action: 'ingest', status: result!.status });
    }
    if (failures.length > 0) throw new ContentFileError(`Rejected content file(s):\n${failures.join('\n')}`);
    return outcomes;
  };
}

/** The function's dependencies from its environment: the DynamoDB client's credentials sign the S3 reads too. */
function inboxDepsFromEnv(env: NodeJS.ProcessEnv = process.env): ContentInboxDeps {
  const dynamo = new DynamoDBClient({});
  const endpoint = env['AWS_ENDPOINT_URL_S3'];
  const objects = new S3ObjectReader({ region: requireEnv('AWS_REGION', env), credentials: dynamo.config.credentials, ...(endpoint && { endpoint }) });
  return { ingest: ingestDepsFromEnv(env, dynamo), objects, feedsOrigin: requireEnv(ENV.feedBaseUrl, env) };
}

export const handler = createContentInboxHandler(lazy(() => inboxDepsFromEnv()));
