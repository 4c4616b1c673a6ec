import { describe, expect, it } from 'vitest';
import { log } from '../../lambdas/handlers/log.js';
import { captureLogs, expectLogged, toLogLine } from '../helpers/logs.js';

/** The log capture every test uses for expected error lines (test/helpers/logs.ts, test/setup/consoleGuard.ts). */
describe('log capture', () => {
  it('takes the handlers\' JSON lines, parsed, off the console while it lasts', () => {
    const logs = captureLogs();
    log('error', 'regeneration failed', { feed: 'section/international', error: new Error('boom') });
    console.warn('a plain warning');
    logs.restore();
    expect(logs.messages()).toEqual(['regeneration failed']);
    expect(logs.lines.map((l) => l.method)).toEqual(['error', 'warn']);
    expect(logs.lines[1]).toEqual({ method: 'warn', text: 'a plain warning' });
    expectLogged(logs, 'regeneration failed', { level: 'error', feed: 'section/international', error: { name: 'Error', message: 'boom' } });
    expectLogged(logs, /^regeneration/);
  });

  it('fails expectLogged when no line has that message and those fields, listing what was captured', () => {
    const logs = captureLogs();
    log('warn', 'websub ping failed', { topics: ['a'] });
    expect(() => expectLogged(logs, 'websub ping failed', { topics: ['b'] })).toThrow(/no log line websub ping failed .*captured:\n\{"level":"warn"/s);
    expect(() => expectLogged(logs, 'regeneration failed')).toThrow(/no log line/);
  });

  it('nests: the innermost capture gets the line', () => {
    const outer = captureLogs();
    const inner = captureLogs();
    console.error('inner');
    inner.restore();
    console.error('outer');
    outer.restore();
    expect(inner.lines.map((l) => l.text)).toEqual(['inner']);
    expect(outer.lines.map((l) => l.text)).toEqual(['outer']);
  });

  it('keeps non-JSON and non-object lines as text only', () => {
    expect(toLogLine('error', ['{not json'])).toEqual({ method: 'error', text: '{not json' });
    expect(toLogLine('log', ['a', 1, { b: 2 }])).toEqual({ method: 'log', text: 'a 1 {"b":2}' });
    expect(toLogLine('error', ['[1]'])).toEqual({ method: 'error', text: '[1]' });
  });
});
