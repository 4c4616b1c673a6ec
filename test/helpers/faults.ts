import { createHash } from 'node:crypto';

/** Any AWS SDK v3 client: faults go in as middleware, in front of the real server. */
interface SdkClient {
  middlewareStack: { add(middleware: any, options: { step: 'initialize'; name: string }): void };
}

export interface Fault {
  /** e.g. 'PutObjectCommand', 'QueryCommand'. */
  command: string;
  /** Which calls of that command to disturb; all by default. */
  when?: (input: any, callNumber: number) => boolean;
  delayMs?: number | (() => number);
  /** Error thrown after the delay (if any): a failure, a throttle or a time-out. */
  error?: () => Error;
}

export const throttled = () => Object.assign(new Error('Rate exceeded (injected)'), { name: 'ProvisionedThroughputExceededException', $retryable: { throttling: true } });
export const serviceUnavailable = () => Object.assign(new Error('Service unavailable (injected)'), { name: 'ServiceUnavailable' });
export const timedOut = () => Object.assign(new Error('Request timed out (injected)'), { name: 'TimeoutError' });

/**
 * Fault injection at the client level: the real client and the real server, with chosen calls
 * delayed or failed. Returns a switch to turn the fault off and the count of disturbed calls.
 */
export function injectFault(client: SdkClient, fault: Fault): { disable(): void; enable(): void; readonly hits: number } {
  let enabled = true;
  let calls = 0;
  let hits = 0;
  client.middlewareStack.add(
    (next: (args: any) => Promise<unknown>, context: { commandName: string }) => async (args: any) => {
      if (!enabled || context.commandName !== fault.command) return next(args);
      calls += 1;
      if (fault.when && !fault.when(args.input, calls)) return next(args);
      hits += 1;
      const delay = typeof fault.delayMs === 'function' ? fault.delayMs() : fault.delayMs;
      if (delay) await new Promise((r) => setTimeout(r, delay));
      if (fault.error) throw fault.error();
      return next(args);
    },
    { step: 'initialize', name: `fault-${fault.command}-${Math.random().toString(36).slice(2)}` },
  );
  return {
    disable: () => void (enabled = false),
    enable: () => void (enabled = true),
    get hits() {
      return hits;
    },
  };
}

/** Every S3 PutObject as (key, sha256 of body), in order: shows what was uploaded and whether it changed. */
export function recordUploads(s3: SdkClient): { key: string; hash: string }[] {
  const uploads: { key: string; hash: string }[] = [];
  s3.middlewareStack.add(
    (next: (args: any) => Promise<unknown>, context: { commandName: string }) => async (args: any) => {
      const result = await next(args);
      if (context.commandName === 'PutObjectCommand') {
        uploads.push({ key: args.input.Key, hash: createHash('sha256').update(String(args.input.Body)).digest('hex') });
      }
      return result;
    },
    { step: 'initialize', name: `uploads-${Math.random().toString(36).slice(2)}` },
  );
  return uploads;
}

/** Counts calls of one command, optionally only those whose input matches (e.g. Query of one partition). */
export function countCalls(client: SdkClient, command: string, when: (input: any) => boolean = () => true): { readonly count: number } {
  let count = 0;
  client.middlewareStack.add(
    (next: (args: any) => Promise<unknown>, context: { commandName: string }) => async (args: any) => {
      if (context.commandName === command && when(args.input)) count += 1;
      return next(args);
    },
    { step: 'initialize', name: `count-${command}-${Math.random().toString(36).slice(2)}` },
  );
  return {
    get count() {
      return count;
    },
  };
}
