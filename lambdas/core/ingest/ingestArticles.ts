import { forEachConcurrently } from '../concurrency.js';
import type { ArticleValidator, FieldError } from '../article/index.js';
import { systemClock, type Clock } from '../schedule/clock.js';
import type { ArticleRepository, RetractOutcome } from '../storage/index.js';

export type IngestResult =
  | { index: number; id: string; status: 'stored' | 'unchanged' | 'ignored-older' }
  /** Stored with a publication time in the future: in no document before `publishAt` (ISO 8601 UTC), then in all of them. */
  | { index: number; id: string; status: 'scheduled'; publishAt: string }
  | { index: number; id?: string; status: 'error'; error: 'invalid' | 'conflict'; errors: FieldError[] };

export interface IngestDeps {
  validator: ArticleValidator;
  store: ArticleRepository;
  /** Tells `scheduled` from `stored` (default the system clock). */
  clock?: Clock;
}

/** How many records of one batch are written at once: enough to overlap round trips, not a thundering herd. */
const CONCURRENCY = 8;

async function ingestOne(raw: unknown, index: number, deps: IngestDeps): Promise<IngestResult> {
  const parsed = deps.validator.parse(raw);
  if (!parsed.ok) {
    const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : undefined;
    return { index, ...(id !== undefined && { id }), status: 'error', error: 'invalid', errors: parsed.errors };
  }
  const { article } = parsed;
  const outcome = await deps.store.put(article);
  if (outcome === 'conflict') {
    return {
      index,
      id: article.id,
      status: 'error',
      error: 'conflict',
      errors: [{ field: 'updatedAt', message: `conflict: a different version of "${article.id}" is stored with the same updatedAt; send a later updatedAt` }],
    };
  }
  const publishAtMs = Date.parse(article.publishedAt);
  if (outcome === 'stored' && article.status === 'published' && publishAtMs > (deps.clock ?? systemClock).now().getTime()) {
    return { index, id: article.id, status: 'scheduled', publishAt: new Date(publishAtMs).toISOString() };
  }
  return { index, id: article.id, status: outcome };
}

/**
 * Validates and stores a batch of records, each on its own: a bad record is reported with its
 * field errors and stores nothing, and never keeps the others from being stored. Records of the
 * same id are applied in batch order.
 */
export async function ingestArticles(records: readonly unknown[], deps: IngestDeps): Promise<IngestResult[]> {
  const results = new Array<IngestResult>(records.length);
  const byId = new Map<string, number[]>();
  records.forEach((r, i) => {
    const key = typeof (r as { id?: unknown })?.id === 'string' ? (r as { id: string }).id : `#${i}`;
    byId.set(key, [...(byId.get(key) ?? []), i]);
  });
  const groups = [...byId.values()];
  await forEachConcurrently(groups, CONCURRENCY, async (group) => {
    for (const i of group) results[i] = await ingestOne(records[i], i, deps);
  });
  return results;
}

export async function retractArticle(id: string, deps: Pick<IngestDeps, 'store'>, now?: Date): Promise<RetractOutcome> {
  return deps.store.retract(id, now);
}
