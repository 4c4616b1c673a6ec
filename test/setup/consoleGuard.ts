/**
 * Every test file's setup (vitest.config.ts `setupFiles`): console output goes through the log
 * capture of test/helpers/logs.ts. A line a test captured is neither printed nor counted; an
 * error or warning nobody captured is printed as usual and fails the test that printed it (or,
 * printed outside any test, the file's last hook), so expected failures are asserted where they
 * are caused and a green run prints only vitest's own report.
 */
import { afterAll, afterEach, beforeEach } from 'vitest';
import { deliverToCapture, setInTest, toLogLine, type ConsoleMethod, type LogLine } from '../helpers/logs.js';

const METHODS: readonly ConsoleMethod[] = ['error', 'warn', 'info', 'log', 'debug'];
const original = Object.fromEntries(METHODS.map((m) => [m, console[m].bind(console)])) as Record<ConsoleMethod, (...args: unknown[]) => void>;

let duringTest: LogLine[] = [];
const outsideTests: LogLine[] = [];
let inTest = false;

for (const method of METHODS) {
  console[method] = (...args: unknown[]) => {
    const line = toLogLine(method, args);
    if (deliverToCapture(line)) return;
    original[method](...args);
    if (method === 'error' || method === 'warn') (inTest ? duringTest : outsideTests).push(line);
  };
}

const complaint = (lines: readonly LogLine[]) =>
  `unexpected ${lines.length === 1 ? 'line' : 'lines'} on console.error/warn (capture expected ones with captureLogs() from test/helpers/logs.ts and assert on them):\n${lines.map((l) => `  ${l.text}`).join('\n')}`;

beforeEach(() => {
  inTest = true;
  setInTest(true);
  duringTest = [];
});

afterEach(() => {
  inTest = false;
  setInTest(false);
  const lines = duringTest;
  duringTest = [];
  if (lines.length) throw new Error(complaint(lines));
});

afterAll(() => {
  if (outsideTests.length) throw new Error(complaint(outsideTests.splice(0)));
});
