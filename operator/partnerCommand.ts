import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KeyValueStorePartnerKeys } from './keyValueStorePartnerKeys.js';
import { assertPartnerName, generatePartnerKey, PartnerKeyFile, partnerKeyDigest, UnknownPartnerError, type PartnerKeyStore } from './partnerKeys.js';

export const USAGE = `Usage: npm run partner -- add <name> | list | revoke <name> [--kvs-arn <arn>] [--key-file <path>]

Manages the keys partners present to read /partners/... (Authorization: Bearer <key>, or ?key=<key>).
Only a key's SHA-256 is stored; "add" prints the new key once: hand it to the partner then.

  add <name>      create a key for the partner (a partner may hold several, e.g. while rotating)
  list            partners and how many keys each holds
  revoke <name>   delete every key of the partner: its requests are refused at once (locally) or
                  within seconds (CloudFront)
  --kvs-arn       the deployed store: stack output PartnerKeyValueStoreArn (credentials from the
                  standard AWS chain); without it, the local key file
  --key-file      the local key file (default: $DATA_DIR/partner-keys.json, i.e. .data/partner-keys.json)`;

export class PartnerUsageError extends Error {
  override readonly name = 'PartnerUsageError';
}

export type PartnerCommand = { action: 'add' | 'revoke'; partner: string } | { action: 'list' };

export interface PartnerCommandOptions {
  command: PartnerCommand;
  store: PartnerKeyStore;
}

export function defaultKeyFile(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return join(resolve(cwd, env['DATA_DIR'] ?? '.data'), 'partner-keys.json');
}

export function parsePartnerArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): PartnerCommandOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { 'kvs-arn': { type: 'string' }, 'key-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) throw new PartnerUsageError(USAGE);
  const [action, partner, ...rest] = positionals;
  if (rest.length) throw new PartnerUsageError(`Unexpected arguments: ${rest.join(' ')}\n\n${USAGE}`);
  let command: PartnerCommand;
  if (action === 'list' && partner === undefined) command = { action };
  else if ((action === 'add' || action === 'revoke') && partner !== undefined) {
    try {
      assertPartnerName(partner);
    } catch (err) {
      throw new PartnerUsageError((err as Error).message);
    }
    command = { action, partner };
  } else throw new PartnerUsageError(USAGE);
  if (values['kvs-arn'] && values['key-file']) throw new PartnerUsageError('--kvs-arn and --key-file exclude each other');
  if (values['kvs-arn'] && !/^arn:aws[a-z-]*:cloudfront::\d{12}:key-value-store\/[\w-]+$/.test(values['kvs-arn'])) {
    throw new PartnerUsageError(`--kvs-arn: "${values['kvs-arn']}" is not a CloudFront KeyValueStore ARN (arn:aws:cloudfront::123456789012:key-value-store/...)`);
  }
  const store = values['kvs-arn'] ? new KeyValueStorePartnerKeys(values['kvs-arn']) : new PartnerKeyFile(values['key-file'] ?? defaultKeyFile(env));
  return { command, store };
}

/** Runs one command against a store; returns the text to print. */
export async function runPartnerCommand({ command, store }: PartnerCommandOptions, now = () => new Date()): Promise<string> {
  switch (command.action) {
    case 'add': {
      const key = generatePartnerKey();
      await store.add({ partner: command.partner, sha256: partnerKeyDigest(key), createdAt: now().toISOString() });
      return [
        `Added a key for partner "${command.partner}" to the ${store.description}.`,
        '',
        `  ${key}`,
        '',
        'This is the only time the key is shown: only its SHA-256 is stored. Hand it to the partner over a',
        'secure channel; they send it as "Authorization: Bearer <key>" (or ?key=<key>) to /partners/...',
        '',
      ].join('\n');
    }
    case 'list': {
      const partners = await store.list();
      if (partners.length === 0) return `No partner keys in the ${store.description}.\n`;
      return `${partners.map((p) => `${p.partner.padEnd(40)} ${p.keys} key${p.keys === 1 ? '' : 's'}`).join('\n')}\n`;
    }
    case 'revoke': {
      const removed = await store.revoke(command.partner);
      if (removed === 0) throw new UnknownPartnerError(command.partner);
      return `Revoked ${removed} key${removed === 1 ? '' : 's'} of partner "${command.partner}" in the ${store.description}.\n`;
    }
  }
}

/** The whole command; returns the exit code (2 on bad usage, 1 on failure). */
export async function main(argv: readonly string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process): Promise<number> {
  let options: PartnerCommandOptions;
  try {
    options = parsePartnerArgs(argv);
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  try {
    io.stdout.write(await runPartnerCommand(options));
    return 0;
  } catch (error) {
    io.stderr.write(`partner ${options.command.action} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
