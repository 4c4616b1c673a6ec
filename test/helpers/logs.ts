import { expect, onTestFinished } from 'vitest';

/**
 * Log capture for tests. Handlers and the local server log one JSON object per line on the console
 * (lambdas/handlers/log.ts, local/*); test/setup/consoleGuard.ts routes every console call through
 * the sink below. A test that causes an expected log line (an injected fault, a poison record, a
 * stream poll error) captures it with `captureLogs()` and asserts on it with `expectLogged()`; the
 * line is then neither printed nor counted as unexpected. Any other error or warning output fails
 * the test that printed it, so a green run prints only vitest's own report.
 */

export type ConsoleMethod = 'error' | 'warn' | 'info' | 'log' | 'debug';

export interface LogLine {
  method: ConsoleMethod;
  /** The line as it would have been printed. */
  text: string;
  /** The parsed object when the line is one JSON object (the handlers' format), else undefined. */
  entry?: Record<string, unknown>;
}

export interface LogCapture {
  readonly lines: readonly LogLine[];
  /** The `message` of every JSON line, in order. */
  messages(): string[];
  /** Stops capturing (automatic at the end of the test that started it). */
  restore(): void;
}

interface Sink {
  lines: LogLine[];
}

/** Active captures, innermost last; the guard hands each console line to the innermost one. */
const sinks: Sink[] = [];
/** Set by the console guard between a test's start and end. */
let inTest = false;
export const setInTest = (value: boolean) => void (inTest = value);

export function toLogLine(method: ConsoleMethod, args: readonly unknown[]): LogLine {
  const text = args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? (a.stack ?? String(a)) : JSON.stringify(a))).join(' ');
  let entry: Record<string, unknown> | undefined;
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) entry = parsed as Record<string, unknown>;
    } catch {
      // not a JSON line
    }
  }
  return { method, text, ...(entry && { entry }) };
}

/** Called by the console guard: true when a capture took the line. */
export function deliverToCapture(line: LogLine): boolean {
  const sink = sinks.at(-1);
  if (!sink) return false;
  sink.lines.push(line);
  return true;
}

/** Starts capturing console output; inside a test it stops by itself when the test finishes. */
export function captureLogs(): LogCapture {
  const sink: Sink = { lines: [] };
  sinks.push(sink);
  const restore = () => {
    const at = sinks.indexOf(sink);
    if (at >= 0) sinks.splice(at, 1);
  };
  if (inTest) onTestFinished(restore);
  return {
    lines: sink.lines,
    messages: () => sink.lines.flatMap((l) => (typeof l.entry?.['message'] === 'string' ? [l.entry['message']] : [])),
    restore,
  };
}

/**
 * Asserts that a captured JSON line has this message (string: exact; RegExp: matched) and these
 * fields (partial, as toMatchObject), and returns it.
 */
export function expectLogged(capture: LogCapture, message: string | RegExp, fields: Record<string, unknown> = {}): LogLine {
  const found = capture.lines.find((l) => {
    const m = l.entry?.['message'];
    if (typeof m !== 'string' || !(typeof message === 'string' ? m === message : message.test(m))) return false;
    try {
      expect(l.entry).toMatchObject(fields);
      return true;
    } catch {
      return false;
    }
  });
  expect(found, `no log line ${String(message)} with ${JSON.stringify(fields)}; captured:\n${capture.lines.map((l) => l.text).join('\n')}`).toBeDefined();
  return found!;
}
