import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What `npm start -- --reset` removes from the data directory: the table (DynamoDB Local's files),
 * the bucket (s3rver's) and the local dead-letter queue, so the next start-up publishes content/
 * alone. Partner keys (partner-keys.json) are kept: they are handed out to people, not derived
 * from content. Nothing else in the directory is touched, whatever DATA_DIR points at.
 */
export const RESET_ENTRIES = ['dynamodb', 's3', 'dead-letters.jsonl'] as const;

/** Removes RESET_ENTRIES from dataDir; returns the ones that existed. */
export function resetLocalData(dataDir: string): string[] {
  const removed = RESET_ENTRIES.filter((entry) => existsSync(join(dataDir, entry)));
  for (const entry of removed) rmSync(join(dataDir, entry), { recursive: true, force: true });
  return removed;
}
