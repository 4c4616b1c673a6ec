/** CPU-profiles a synchronous function with the inspector and summarizes self time. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Session, type Profiler } from 'node:inspector';

export interface ProfileSummary {
  iterations: number;
  msPerIteration: number;
  /** Functions with the most self time, in % of all samples. */
  topFunctions: { fn: string; where: string; selfPct: number }[];
  /** Self time by package (`npm:xml-js`), core file (`lambdas/core/...`) or engine. */
  byOrigin: { origin: string; selfPct: number }[];
}

const post = <T>(session: Session, method: string, params?: object) =>
  new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));

function origin(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(engine / regexp / builtins)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `npm:${pkg[1]}`;
  const core = /\/(lambdas\/[^?]+)/.exec(url);
  if (core) return core[1]!;
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(/^.*\/(bench\/)/, '$1');
}

export async function profileFunction(fn: () => unknown, options: { seconds: number; out?: string }): Promise<ProfileSummary> {
  for (let i = 0; i < 20; i++) fn();
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: 100 });
  await post(session, 'Profiler.start');
  const started = performance.now();
  let iterations = 0;
  while (performance.now() - started < options.seconds * 1000) {
    fn();
    iterations++;
  }
  const elapsed = performance.now() - started;
  const { profile } = await post<{ profile: Profiler.Profile }>(session, 'Profiler.stop');
  session.disconnect();
  if (options.out) {
    await mkdir(dirname(options.out), { recursive: true });
    await writeFile(options.out, JSON.stringify(profile));
  }
  const hits = new Map<number, number>();
  for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = profile.samples?.length || 1;
  const byFn = new Map<string, { fn: string; where: string; n: number }>();
  const byOrigin = new Map<string, number>();
  for (const node of profile.nodes) {
    const n = hits.get(node.id) ?? 0;
    if (!n) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)') continue;
    const where = url ? `${url.replace(/^.*\/(node_modules|lambdas|bench)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    byFn.set(key, { fn: name, where, n: (byFn.get(key)?.n ?? 0) + n });
    const o = origin(url, name);
    byOrigin.set(o, (byOrigin.get(o) ?? 0) + n);
  }
  const pct = (n: number) => Math.round((1000 * n) / total) / 10;
  return {
    iterations,
    msPerIteration: Math.round((elapsed / iterations) * 100) / 100,
    topFunctions: [...byFn.values()].sort((a, b) => b.n - a.n).slice(0, 12).map((f) => ({ fn: f.fn, where: f.where, selfPct: pct(f.n) })),
    byOrigin: [...byOrigin].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([o, n]) => ({ origin: o, selfPct: pct(n) })),
  };
}
