import { spawn as spawnChild, type ChildProcess } from 'node:child_process';

/**
 * Leaving no child behind: clean-ups that run however the parent goes away, process-group
 * signalling, a watchdog for a SIGKILLed parent, and a bounded terminate.
 */
const STOP_GRACE_MS = 5_000;


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

export function registerExitCleanup(cleanup: () => void): () => void {
  exitCleanups.add(cleanup);
  installParentHooks();
  return () => {
    exitCleanups.delete(cleanup);
    if (exitCleanups.size === 0) uninstallParentHooks();
  };
}

/** Sends a signal to a whole process group; false if the group no longer exists. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
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
export function startWatchdog(childPid: number): ChildProcess | undefined {
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

export function hasExited(child: ChildProcess): boolean {
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
export async function terminate(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || hasExited(child)) {
    // The leader may be gone while group members survive; make sure of them too.
    if (pid !== undefined) signalGroup(pid, 'SIGKILL');
    return;
  }
  signalGroup(pid, 'SIGTERM');
  if (await waitForExit(child, STOP_GRACE_MS)) {
    signalGroup(pid, 'SIGKILL'); // stragglers in the group, if any (normally none: ESRCH, ignored)
    return;
  }
  signalGroup(pid, 'SIGKILL');
  if (!(await waitForExit(child, STOP_GRACE_MS))) {
    throw new Error(`process ${pid} did not exit after SIGKILL`);
  }
}
