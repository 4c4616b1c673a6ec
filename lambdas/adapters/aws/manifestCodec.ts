import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Manifest } from '../../core/publish/index.js';

/**
 * A feed's manifest as the state item keeps it: one Binary attribute, the DEFLATE of its entries
 * as JSON, in path order. The same paths and the same full hashes as a map of strings, in about a
 * third of the bytes (the paths share long prefixes; a hex hash packs into half its length), and
 * a state item's writes are billed per KB of the item: every write to it costs less.
 */
export function encodeManifest(manifest: Manifest): Uint8Array {
  const entries = Object.entries(manifest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return deflateRawSync(JSON.stringify(entries), { level: 9 });
}

export function decodeManifest(bytes: Uint8Array): Manifest {
  const entries = JSON.parse(inflateRawSync(bytes).toString('utf8')) as [string, string][];
  return Object.fromEntries(entries);
}
