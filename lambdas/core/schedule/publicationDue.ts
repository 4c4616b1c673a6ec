import type { FieldError } from '../article/types.js';
import { PUBLICATION_DUE_SOURCE, type ScheduledPublication } from './publicationScheduler.js';

export type PublicationDueParse = { ok: true; publication: ScheduledPublication } | { ok: false; errors: FieldError[] };

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const FEED_KEY = /^(section|tag|author)\/[a-z0-9][a-z0-9-]*$/;
const ID = /^[a-z0-9][a-z0-9-]{0,127}$/;

/** Whether an invocation's event is a timer's "publication due" (and not a stream batch). */
export function isPublicationDue(event: unknown): boolean {
  return event !== null && typeof event === 'object' && (event as { source?: unknown }).source === PUBLICATION_DUE_SOURCE;
}

/**
 * Checks a timer's input, naming each bad field once. Hand-written rather than zod: it runs in the
 * regeneration bundle, which carries no validator library (its only other input is a stream batch).
 */
export function parsePublicationDue(event: unknown): PublicationDueParse {
  const p = (event as { publication?: unknown } | null)?.publication;
  if (p === null || typeof p !== 'object') return { ok: false, errors: [{ field: 'publication', message: 'must be an object {articleId, publishAt, feeds}' }] };
  const { articleId, publishAt, feeds } = p as Record<string, unknown>;
  const errors: FieldError[] = [];
  if (typeof articleId !== 'string' || !ID.test(articleId)) errors.push({ field: 'publication.articleId', message: 'must be an article id slug' });
  if (typeof publishAt !== 'string' || !ISO_UTC.test(publishAt) || Number.isNaN(Date.parse(publishAt))) {
    errors.push({ field: 'publication.publishAt', message: 'must be an ISO 8601 UTC time, e.g. 2026-12-03T07:00:00.000Z' });
  }
  if (!Array.isArray(feeds) || feeds.length === 0 || !feeds.every((f) => typeof f === 'string' && FEED_KEY.test(f))) {
    errors.push({ field: 'publication.feeds', message: 'must be a non-empty list of feed keys such as "section/international"' });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, publication: { articleId: articleId as string, publishAt: publishAt as string, feeds: [...(feeds as string[])] } };
}
