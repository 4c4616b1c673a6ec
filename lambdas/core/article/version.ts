/** What to do with an incoming version of an article, given the stored one (PRODUCT.md version rules). */
export type VersionDecision = 'write' | 'unchanged' | 'ignored-older' | 'conflict';

export interface VersionStamp {
  updatedAtMs: number;
  contentHash: string;
}

export function decideVersion(stored: VersionStamp | undefined, incoming: VersionStamp): VersionDecision {
  if (!stored || incoming.updatedAtMs > stored.updatedAtMs) return 'write';
  if (incoming.updatedAtMs < stored.updatedAtMs) return 'ignored-older';
  return incoming.contentHash === stored.contentHash ? 'unchanged' : 'conflict';
}
