import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, parsePartnerArgs, runPartnerCommand } from '../../operator/partnerCommand.js';
import { KeyValueStorePartnerKeys } from '../../operator/keyValueStorePartnerKeys.js';
import { generatePartnerKey, keyValueEntry, PartnerKeyFile, partnerKeyDigest, UnknownPartnerError } from '../../operator/partnerKeys.js';

const tempKeyFile = () => join(mkdtempSync(join(tmpdir(), 'partner-keys-')), 'partner-keys.json');

function capture() {
  let text = '';
  return { stream: { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

describe('partner keys', () => {
  it('are 32 random bytes in base64url, different every time; only their SHA-256 is stored', () => {
    const key = generatePartnerKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key, 'base64url')).toHaveLength(32);
    expect(generatePartnerKey()).not.toBe(key);
    expect(partnerKeyDigest(key)).toMatch(/^[0-9a-f]{64}$/);
    const entry = keyValueEntry({ partner: 'acme', sha256: partnerKeyDigest(key) });
    expect(entry.key).toBe(partnerKeyDigest(key).slice(0, 32));
    expect(JSON.parse(entry.value)).toEqual({ partner: 'acme', sha256: partnerKeyDigest(key) });
  });

  it('add shows the key once and stores its digest only (file readable by its owner alone); list; revoke by name', async () => {
    const file = tempKeyFile();
    const out = capture();
    const err = capture();
    expect(await main(['add', 'acme', '--key-file', file], { stdout: out.stream, stderr: err.stream })).toBe(0);
    const key = /^\s{2}(\S{43})$/m.exec(out.text())![1]!;
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain(key);
    expect(stored).toContain(partnerKeyDigest(key));
    expect(statSync(file).mode & 0o077).toBe(0);

    await main(['add', 'acme', '--key-file', file], { stdout: capture().stream, stderr: err.stream });
    await main(['add', 'beta-news', '--key-file', file], { stdout: capture().stream, stderr: err.stream });
    const listed = capture();
    expect(await main(['list', '--key-file', file], { stdout: listed.stream, stderr: err.stream })).toBe(0);
    expect(listed.text()).toMatch(/^acme\s+2 keys\nbeta-news\s+1 key\n$/);

    const revoked = capture();
    expect(await main(['revoke', 'acme', '--key-file', file], { stdout: revoked.stream, stderr: err.stream })).toBe(0);
    expect(revoked.text()).toContain('Revoked 2 keys of partner "acme"');
    expect(await new PartnerKeyFile(file).list()).toEqual([{ partner: 'beta-news', keys: 1 }]);
    await expect(runPartnerCommand({ command: { action: 'revoke', partner: 'acme' }, store: new PartnerKeyFile(file) })).rejects.toThrow(UnknownPartnerError);
  });

  it('rejects bad usage with exit code 2', async () => {
    for (const argv of [[], ['add'], ['add', 'Bad Name'], ['revoke'], ['list', 'x'], ['add', 'a', '--kvs-arn', 'not-an-arn']]) {
      const err = capture();
      expect(await main(argv, { stdout: capture().stream, stderr: err.stream }), argv.join(' ')).toBe(2);
      expect(err.text()).not.toBe('');
    }
  });

  it('--kvs-arn selects the deployed KeyValueStore', () => {
    const arn = 'arn:aws:cloudfront::123456789012:key-value-store/0f0e8c9a-1111-2222-3333-444455556666';
    const { store } = parsePartnerArgs(['list', '--kvs-arn', arn], {});
    expect(store).toBeInstanceOf(KeyValueStorePartnerKeys);
    expect(store.description).toContain(arn);
  });
});
