import { createHash } from 'node:crypto';
import type { Article } from './types.js';

/** Identity of an article version's content; equal hashes at equal `updatedAt` make a re-post a no-op. */
export function contentHash(article: Article): string {
  return createHash('sha256').update(JSON.stringify(article)).digest('hex');
}
