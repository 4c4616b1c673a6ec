import type { S3Event, S3EventRecord } from 'aws-lambda';
import { INBOX_PREFIX } from '../core/contracts/index.js';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { articleIdFromFileName, CONTENT_FILE } from '../core/content/index.js';
import { ingestArticles, retractArticle, type IngestDeps } from '../core/ingest/index.js';
import { describeFieldErrors, readContentRecord } from '../core/content/index.js';
import { ENV, requireEnv } from './environment.js';
import { log } from './log.js';
import { ingestDepsFromEnv } from './ingestRuntime.js';
import { lazy } from './lazy.js';

export interface ContentInboxDeps {
  ingest: IngestDeps;
  s3: S3Client;
  /** The feeds host: content files' `media/...` references resolve against it. */
  feedsOrigin?: string;
}

export type InboxOutcome = { key: string; action: 'ingest' | 'retract' | 'skip'; status: string };

/** S3 event keys are URL-encoded with `+` for spaces. */
export const eventObjectKey = (record: S3EventRecord) => decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));

const httpStatus = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

async function readObject(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await Body!.transformToString('utf8');
  } catch (error) {
    if (httpStatus(error) === 404 || (error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (httpStatus(error) === 404 || (error as Error).name === 'NotFound') return false;
    throw error;
  }
}

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
      const { s3, ingest, feedsOrigin } = deps();
      if (record.eventName.startsWith('ObjectRemoved')) {
        if (await exists(s3, bucket, key)) {
          outcomes.push({ key, action: 'skip', status: 'file exists again' });
          continue;
        }
        const id = articleIdFromFileName(file);
        const status = await retractArticle(id, ingest);
        log('info', 'content file removed', { key, id, status });
        outcomes.push({ key, action: 'retract', status });
        continue;
      }
      const text = await readObject(s3, bucket, key);
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

export const handler = createContentInboxHandler(lazy(() => ({ ingest: ingestDepsFromEnv(), s3: new S3Client({}), feedsOrigin: requireEnv(ENV.feedBaseUrl) })));
