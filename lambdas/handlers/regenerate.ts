import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { regenerateSection, type PublishingDeps } from '../core/publish/index.js';
import { ARTICLE_PK_PREFIX, KEY } from '../core/storage/index.js';
import { describeError, log } from './log.js';
import { lazy, publishingDepsFromEnv } from './runtime.js';

/** Sections a stream record touches: the article's section before and after (a move touches both). */
export function sectionsOf(record: DynamoDBRecord): string[] {
  const { Keys, OldImage, NewImage } = record.dynamodb ?? {};
  if (!Keys?.[KEY.partition]?.S?.startsWith(ARTICLE_PK_PREFIX)) return [];
  return [...new Set([OldImage?.['sectionSlug']?.S, NewImage?.['sectionSlug']?.S].filter((s): s is string => Boolean(s)))];
}

/**
 * Stream adapter for regeneration: renders each touched section once per batch, whatever the number
 * of records, and reports the records of a section that failed as partial batch failures so the
 * event source mapping retries (and bisects) just those.
 */
export function createRegenerateHandler(deps: () => PublishingDeps) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const configured = new Set(deps().config.sections.map((s) => s.slug));
    const recordsBySection = new Map<string, string[]>();
    for (const record of event.Records) {
      const sequence = record.dynamodb?.SequenceNumber;
      for (const slug of sectionsOf(record).filter((s) => configured.has(s))) {
        recordsBySection.set(slug, [...(recordsBySection.get(slug) ?? []), sequence ?? '']);
      }
    }
    const failed = new Set<string>();
    for (const [slug, sequences] of recordsBySection) {
      try {
        const result = await regenerateSection(slug, deps());
        log('info', 'regenerated', { ...result, records: sequences.length });
      } catch (error) {
        log('error', 'regeneration failed', { section: slug, records: sequences.length, error: describeError(error) });
        sequences.forEach((s) => failed.add(s));
      }
    }
    return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

export const handler = createRegenerateHandler(lazy(() => publishingDepsFromEnv()));
