import { join } from 'node:path';
import { HelpRequested, localDataDir, runCli, UsageError, parseCommandArgs } from './cli.js';
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
  --key-file      the local key file (default: $DATA_DIR/partner-keys.json; DATA_DIR is the one
                  \`npm start\` uses: set the same value for both, default .data/ in the repository)`;

export type PartnerCommand = { action: 'add' | 'revoke'; partner: string } | { action: 'list' };

export interface PartnerCommandOptions {
  command: PartnerCommand;
  store: PartnerKeyStore;
}

/** Where `npm start` with the same DATA_DIR reads partner keys. */
export function defaultKeyFile(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return join(localDataDir(env, cwd), 'partner-keys.json');
}

export function parsePartnerArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): PartnerCommandOptions {
  const parsed = parseCommandArgs(argv, { 'kvs-arn': { type: 'string' }, 'key-file': { type: 'string' } });
  const { values, positionals } = parsed;
  if (values.help) throw new HelpRequested();
  const [action, partner, ...rest] = positionals;
  if (rest.length) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  let command: PartnerCommand;
  if (action === 'list' && partner === undefined) command = { action };
  else if ((action === 'add' || action === 'revoke') && partner !== undefined) {
    try {
      assertPartnerName(partner);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    command = { action, partner };
  } else throw new UsageError(action === undefined ? 'no command given: add <name>, list or revoke <name>' : `"${[action, partner].filter(Boolean).join(' ')}" is not add <name>, list or revoke <name>`);
  if (values['kvs-arn'] && values['key-file']) throw new UsageError('--kvs-arn and --key-file exclude each other');
  if (values['kvs-arn'] && !/^arn:aws[a-z-]*:cloudfront::\d{12}:key-value-store\/[\w-]+$/.test(values['kvs-arn'])) {
    throw new UsageError(`--kvs-arn: "${values['kvs-arn']}" is not a CloudFront KeyValueStore ARN (arn:aws:cloudfront::123456789012:key-value-store/...)`);
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

/** The whole command; returns the exit code (0 done, 1 failed, 2 bad usage). */
export function main(argv: readonly string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process): Promise<number> {
  return runCli(
    'partner',
    USAGE,
    async () => {
      const options = parsePartnerArgs(argv);
      io.stderr.write(`partner: using the ${options.store.description}\n`);
      io.stdout.write(await runPartnerCommand(options));
      return 0;
    },
    io,
  );
}
