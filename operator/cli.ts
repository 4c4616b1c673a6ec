import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The repository root: `.data/` and `content/` live here. */
const ROOT = resolve(import.meta.dirname, '..');

/** Stated in every command's --help (package.json "engines"). */
export const SUPPORTED_NODE = 'Runs on Node.js 20.19 or later (22 recommended: AWS SDK releases after January 2027 need it).';

/** Wrong arguments: one line on stderr, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** --help: the usage on stdout, exit code 0. */
export class HelpRequested extends Error {
  override readonly name = 'HelpRequested';
}

/**
 * The local data directory, one notion for `npm start` and every command: DATA_DIR (relative to
 * the current directory) or `.data/` in the repository. Each command prints it.
 */
export function localDataDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const configured = env['DATA_DIR'];
  return configured ? resolve(cwd, configured) : resolve(ROOT, '.data');
}

export const repositoryPath = (...parts: string[]) => resolve(ROOT, ...parts);

/**
 * The AWS SDK warns on every command, over several lines, that its 2027 releases need Node 22.
 * The supported range is stated in --help instead; set the variable to "false" to see the warning.
 */
export function quietAwsSdk(env: NodeJS.ProcessEnv = process.env): void {
  env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
}

/** node:util parseArgs errors (unknown option, missing value) as one readable line. */
function usageFrom(error: unknown): UsageError {
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return new UsageError(message.replace(/\. To specify an option argument starting with a dash.*$/, ''));
}

/** Every command's parsing: positionals allowed, `--help`/`-h` added, parse errors as one UsageError line. */
export function parseCommandArgs<const T extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: { ...options, help: { type: 'boolean', short: 'h' } } as T & { help: { type: 'boolean'; short: 'h' } } });
  } catch (error) {
    throw usageFrom(error);
  }
}

/**
 * Runs a command's main: --help → usage on stdout, exit 0; a UsageError → one line on stderr plus
 * a pointer to --help, exit 2; any other failure → one line, exit 1 (the stack only with DEBUG set).
 */
export async function runCli(
  name: string,
  usage: string,
  run: () => Promise<number>,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof HelpRequested) {
      io.stdout.write(`${usage}\n\n${SUPPORTED_NODE}\n`);
      return 0;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`${name}: ${error.message} (see: npm run ${name} -- --help)\n`);
      return 2;
    }
    io.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env['DEBUG']) io.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
    return 1;
  }
}
