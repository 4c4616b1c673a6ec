import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layout's rules, read from the source files themselves: dependencies point one way, no import
 * cycles, the domain core free of AWS SDK and Lambda types, files small enough to hold in your head.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const SOURCE_FOLDERS = ['lambdas', 'lib', 'local', 'operator', 'bin', 'bench', 'scripts'];
const SOURCE_FILE = /\.(ts|js|mjs)$/;

function filesUnder(folder: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else if (SOURCE_FILE.test(name)) out.push(path);
  }
  return out;
}

const files = SOURCE_FOLDERS.flatMap((f) => filesUnder(join(ROOT, f)));
const rel = (path: string) => relative(ROOT, path);

/** Every import and re-export specifier of a file, with whether it is type-only (erased at build). */
function importsOf(path: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(path, 'utf8');
  const found: { spec: string; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?\s+from\s+['"]([^'"]+)['"]/gm)) found.push({ spec: m[3]!, typeOnly: Boolean(m[2]) });
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push({ spec: m[1]!, typeOnly: false });
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ spec: m[1]!, typeOnly: false });
  return found;
}

/** A relative specifier resolved to a repository file (`.js` written for `.ts` sources). */
function resolveRelative(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

const graph = new Map(files.map((f) => [f, importsOf(f).map((i) => ({ ...i, target: resolveRelative(f, i.spec) }))]));

describe('architecture', () => {
  it('finds the sources it judges', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.map(rel)).toContain('lambdas/core/render/rss.ts');
  });

  it('has no import cycles (runtime imports)', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      stack.push(file);
      for (const { target, typeOnly } of graph.get(file) ?? []) {
        if (!target || typeOnly || !graph.has(target)) continue;
        if (state.get(target) === 'open') cycles.push([...stack.slice(stack.indexOf(target)), target].map(rel).join(' -> '));
        else if (!state.has(target)) visit(target);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('CDK code (lib/) imports neither the local server, the operator commands, the entry points nor handler modules', () => {
    const forbidden = ['local/', 'operator/', 'bin/', 'lambdas/handlers/'];
    const offending = files
      .filter((f) => rel(f).startsWith('lib/'))
      .flatMap((f) => (graph.get(f) ?? []).filter((i) => i.target && forbidden.some((p) => rel(i.target!).startsWith(p))).map((i) => `${rel(f)} imports ${rel(i.target!)}`));
    expect(offending).toEqual([]);
  });

  it('the domain core imports no AWS SDK and no Lambda types (shared contracts excepted: they name the dead-letter shape Lambda sends)', () => {
    const offending = files
      .filter((f) => rel(f).startsWith('lambdas/core/') && !rel(f).startsWith('lambdas/core/contracts/'))
      .flatMap((f) => (graph.get(f) ?? []).filter((i) => /^@aws-sdk\/|^@smithy\/|^aws-lambda$/.test(i.spec)).map((i) => `${rel(f)} imports ${i.spec}`));
    expect(offending).toEqual([]);
  });

  it('the domain core imports nothing outside itself', () => {
    const offending = files
      .filter((f) => rel(f).startsWith('lambdas/core/'))
      .flatMap((f) => (graph.get(f) ?? []).filter((i) => i.target && !rel(i.target).startsWith('lambdas/core/')).map((i) => `${rel(f)} imports ${rel(i.target!)}`));
    expect(offending).toEqual([]);
  });

  it('every source file is under 300 lines', () => {
    const long = files.map((f) => ({ file: rel(f), lines: readFileSync(f, 'utf8').split('\n').length })).filter((f) => f.lines > 300);
    expect(long).toEqual([]);
  });
});
