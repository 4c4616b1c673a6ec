import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Partner names: shown in logs, used to revoke; slugs keep them unambiguous. */
export const PARTNER_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** 32 random bytes: 256 bits, 43 base64url characters. */
export const PARTNER_KEY_BYTES = 32;
/** Must equal LOOKUP_HEX_CHARS in lambdas/edge/partnerAuth.js (the tests run that file against these entries). */
export const LOOKUP_HEX_CHARS = 32;

export class InvalidPartnerNameError extends Error {
  override readonly name = 'InvalidPartnerNameError';
  constructor(partner: string) {
    super(`"${partner}" is not a valid partner name: lower-case letters, digits and hyphens, 1-63 chars, starting with a letter or digit`);
  }
}

export class UnknownPartnerError extends Error {
  override readonly name = 'UnknownPartnerError';
  constructor(partner: string) {
    super(`No key of partner "${partner}" is stored`);
  }
}

export function assertPartnerName(partner: string): void {
  if (!PARTNER_NAME.test(partner)) throw new InvalidPartnerNameError(partner);
}

/** A new partner key: shown to the operator once, never stored. */
export function generatePartnerKey(): string {
  return randomBytes(PARTNER_KEY_BYTES).toString('base64url');
}

/** What is stored of a key: its SHA-256, hex (a 256-bit random key needs no salt or stretching). */
export function partnerKeyDigest(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** One stored key: who it belongs to and the digest of the key. */
export interface PartnerKeyRecord {
  partner: string;
  sha256: string;
  createdAt: string;
}

/** The KeyValueStore entry the edge function reads: indexed by a digest prefix, holding the full digest. */
export function keyValueEntry(record: Pick<PartnerKeyRecord, 'partner' | 'sha256'>): { key: string; value: string } {
  return { key: record.sha256.slice(0, LOOKUP_HEX_CHARS), value: JSON.stringify({ partner: record.partner, sha256: record.sha256 }) };
}

/** Where partner key digests live: the local key file or the deployed KeyValueStore. */
export interface PartnerKeyStore {
  readonly description: string;
  add(record: PartnerKeyRecord): Promise<void>;
  list(): Promise<{ partner: string; keys: number }[]>;
  /** Removes every key of the partner; returns how many. */
  revoke(partner: string): Promise<number>;
}

interface KeyFileContent {
  version: 1;
  keys: PartnerKeyRecord[];
}

/** Groups records by partner, sorted by name. */
export function summarize(records: readonly Pick<PartnerKeyRecord, 'partner'>[]): { partner: string; keys: number }[] {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.partner, (counts.get(r.partner) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([partner, keys]) => ({ partner, keys }));
}

/**
 * The local run's key store: a JSON file of digests (`.data/partner-keys.json`). The local
 * server reads it on every partner request, so adding or revoking takes effect at once.
 */
export class PartnerKeyFile implements PartnerKeyStore {
  constructor(readonly file: string) {}

  get description(): string {
    return `key file ${this.file}`;
  }

  async records(): Promise<PartnerKeyRecord[]> {
    try {
      const content = JSON.parse(await readFile(this.file, 'utf8')) as KeyFileContent;
      return Array.isArray(content.keys) ? content.keys : [];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /** The entries the edge function would find in the KeyValueStore. */
  async keyValueEntries(): Promise<Map<string, string>> {
    return new Map((await this.records()).map((r) => keyValueEntry(r)).map(({ key, value }) => [key, value]));
  }

  async add(record: PartnerKeyRecord): Promise<void> {
    await this.save([...(await this.records()), record]);
  }

  async list(): Promise<{ partner: string; keys: number }[]> {
    return summarize(await this.records());
  }

  async revoke(partner: string): Promise<number> {
    const records = await this.records();
    const kept = records.filter((r) => r.partner !== partner);
    if (kept.length !== records.length) await this.save(kept);
    return records.length - kept.length;
  }

  /** Written aside, then renamed: a reader never sees half a file. */
  private async save(keys: PartnerKeyRecord[]): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify({ version: 1, keys } satisfies KeyFileContent, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, this.file);
  }
}
