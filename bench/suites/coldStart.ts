/**
 * 5. Cold start proxy: each Lambda handler bundled the way the stack's NodejsFunction bundles it
 * (local esbuild: platform node, target node22, ESM with a createRequire banner, minified, source
 * maps), with the AWS SDK bundled (what lib/constructs/publisherFunction.ts does) and external
 * (what relying on the runtime's SDK would give); its size, and the time a fresh `node` process
 * takes to import it (median of 20), with and without --enable-source-maps (deploy.sourceMaps; off by default).
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build as esbuild } from 'esbuild';
import { BUNDLE_ALIASES, BUNDLE_MAX_BYTES, ESM_REQUIRE_BANNER, MAIN_FIELDS } from '../../lib/constructs/lambdaBundling.js';
import { deployConfigSchema } from '../../lib/config/deployConfig.js';
import { below, metric, type Metric, type SuiteResult } from '../lib/result.js';
import { round, summarize } from '../lib/stats.js';
import { progress } from '../lib/progress.js';

export { BUNDLE_MAX_BYTES };
export const LOAD_MAX_MS = 120;
/** Whether the stack runs the functions with --enable-source-maps by default (deploy.sourceMaps). */
const DEPLOYED_SOURCE_MAPS = deployConfigSchema.parse({}).sourceMaps;
/** Every function of the stack; the comparison builds (SDK external, CommonJS first) only for the first two. */
const HANDLERS = ['ingest', 'regenerate', 'contentInbox', 'websubNotify'] as const;
const COMPARED: readonly string[] = ['ingest', 'regenerate'];
const ROOT = new URL('../../', import.meta.url);
const OUT = new URL('bench/.out/bundles/', ROOT);

/** The child: time the import of the bundle and touch the handler export, print JSON. */
const CHILD = `
const t0 = performance.now();
const mod = await import(process.argv[1]);
const t1 = performance.now();
if (typeof mod.handler !== 'function') throw new Error('no handler export');
process.stdout.write(JSON.stringify({ importMs: t1 - t0, sinceProcessStartMs: t1 + 0 }));
`;

/**
 * How a handler is bundled:
 * - `stack`: exactly what NodejsFunction runs for the stack (SDK bundled, mainFields `module,main`);
 * - `sdk-external`: the same with `@aws-sdk/*` and `@smithy/*` left to the runtime (CDK's default
 *   externals for nodejs18.x+ when externalModules is not set);
 * - `main-first`: the stack's options without mainFields (esbuild's platform-node default `main,module`
 *   picks the SDK's CommonJS builds): what the stack built before issue 14.
 */
type Build = 'stack' | 'sdk-external' | 'main-first';
const BUILDS: Build[] = ['stack', 'sdk-external', 'main-first'];

interface Variant {
  handler: (typeof HANDLERS)[number];
  build: Build;
  file: string;
  bytes: number;
  mapBytes: number;
  gzipBytes: number;
  /** Output bytes by package (or `lambdas/` for our own code), largest first. */
  composition: { origin: string; bytes: number }[];
}

/** `node_modules/@aws-sdk/client-s3/dist-es/…` → `@aws-sdk/client-s3`; our files → `lambdas/…` (one bucket). */
function originOf(path: string): string {
  // The innermost package: `dom-serializer/node_modules/entities/…` is entities (a second copy, under dom-serializer).
  const pkgs = [...path.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((m) => m[1]!);
  if (pkgs.length > 1) return `${pkgs.at(-1)!} (under ${pkgs.at(-2)!})`;
  if (pkgs.length === 1) return pkgs[0]!;
  return path.startsWith('lambdas/') ? 'lambdas/ (this repo)' : path;
}

async function bundle(handler: Variant['handler'], build: Build): Promise<Variant> {
  const dir = new URL(`${handler}-${build}/`, OUT);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const file = new URL('index.mjs', dir);
  const result = await esbuild({
    metafile: true,
    entryPoints: [new URL(`lambdas/handlers/${handler}.ts`, ROOT).pathname],
    outfile: file.pathname,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    // As lib/constructs/publisherFunction.ts (lambdaBundling.ts); 'main-first' shows what the stack built before.
    ...(build !== 'main-first' && { mainFields: MAIN_FIELDS, alias: BUNDLE_ALIASES }),
    absWorkingDir: ROOT.pathname,
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    sourcemap: true,
    sourcesContent: build === 'main-first',
    external: build === 'sdk-external' ? ['@aws-sdk/*', '@smithy/*'] : [],
    logLevel: 'silent',
  });
  const code = await readFile(file);
  const byOrigin = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) byOrigin.set(originOf(input), (byOrigin.get(originOf(input)) ?? 0) + bytesInOutput);
  }
  return {
    handler,
    build,
    file: file.pathname,
    bytes: code.byteLength,
    mapBytes: (await stat(new URL('index.mjs.map', dir))).size,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    composition: [...byOrigin].sort((a, b) => b[1] - a[1]).map(([origin, bytes]) => ({ origin, bytes })),
  };
}

/** One fresh process: wall time from spawn to exit, and the import time it measured itself. */
function loadOnce(file: string, sourceMaps: boolean): Promise<{ importMs: number; processMs: number }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const args = [...(sourceMaps ? ['--enable-source-maps'] : []), '--input-type=module', '-e', CHILD, pathToFileURL(file).href];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env['PATH'] ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`loading ${file} failed (${code}): ${err.slice(0, 500)}`));
      const { importMs } = JSON.parse(out) as { importMs: number };
      resolve({ importMs, processMs: performance.now() - t });
    });
  });
}

export async function coldStartSuite(options: { quick: boolean }): Promise<SuiteResult> {
  const started = performance.now();
  const runs = options.quick ? 3 : 20;
  const variants: Variant[] = [];
  // Quick: only what the stack deploys.
  for (const handler of HANDLERS) for (const build of options.quick || !COMPARED.includes(handler) ? (['stack'] as Build[]) : BUILDS) variants.push(await bundle(handler, build));

  progress(`coldStart: ${variants.length} bundles built`);
  // An empty node process, for what process start-up alone costs.
  const emptyFile = join(OUT.pathname, 'empty.mjs');
  await (await import('node:fs/promises')).writeFile(emptyFile, 'export const handler = () => {};\n');
  const cases = [
    // Both source-map settings (deploy.sourceMaps), except for sdk-external (the default only).
    ...variants.flatMap((v) => (v.build === 'sdk-external' ? [DEPLOYED_SOURCE_MAPS] : [true, false]).map((sourceMaps) => ({ v, sourceMaps }))),
    { v: undefined, sourceMaps: false },
  ];
  const samples = new Map<(typeof cases)[number], { importMs: number[]; processMs: number[] }>(cases.map((c) => [c, { importMs: [], processMs: [] }]));
  // Round-robin over the cases, so that background load spreads over all of them.
  // The deployed builds get `runs` samples each, the others (for comparison) half as many.
  const runsOf = (c: (typeof cases)[number]) => (!c.v || c.v.build === 'stack' ? runs : Math.ceil(runs / 2));
  for (let i = 0; i < runs + 1; i++) {
    for (const c of cases) {
      if (i > runsOf(c)) continue;
      const r = await loadOnce(c.v?.file ?? emptyFile, c.sourceMaps);
      if (i === 0) continue; // the first round warms the file cache
      samples.get(c)!.importMs.push(r.importMs);
      samples.get(c)!.processMs.push(r.processMs);
    }
  }
  const results = cases.map((c) => ({
    handler: c.v?.handler ?? '(empty module)',
    build: c.v?.build ?? '-',
    sourceMaps: c.sourceMaps,
    bytes: c.v?.bytes ?? 0,
    mapBytes: c.v?.mapBytes ?? 0,
    gzipBytes: c.v?.gzipBytes ?? 0,
    importMs: summarize(samples.get(c)!.importMs),
    processMs: summarize(samples.get(c)!.processMs),
  }));
  const size = below(BUNDLE_MAX_BYTES, 'bytes', '< 600 KiB');
  const load = below(LOAD_MAX_MS, 'ms', '< 120 ms');
  const metrics: Metric[] = [];
  const names: Record<Build, string> = { stack: 'as the stack builds it (SDK bundled)', 'sdk-external': 'SDK external', 'main-first': 'SDK bundled, default mainFields (CommonJS first, before issue 14)' };
  for (const v of variants) {
    const deployed = v.build === 'stack';
    const asDeployed = results.find((r) => r.handler === v.handler && r.build === v.build && r.sourceMaps === DEPLOYED_SOURCE_MAPS)!;
    const alternative = results.find((r) => r.handler === v.handler && r.build === v.build && r.sourceMaps !== DEPLOYED_SOURCE_MAPS);
    const mapsText = (on: boolean) => (on ? '--enable-source-maps (deploy.sourceMaps: true)' : 'without source maps (deploy.sourceMaps: false)');
    const tag = `${v.handler}, ${names[v.build]}`;
    metrics.push(metric(`coldStart.${v.handler}.${v.build}.bytes`, `bundle size, ${tag} (gzip ${round(v.gzipBytes / 1024)} KiB, map ${round(v.mapBytes / 1024)} KiB)`, v.bytes, 'bytes', deployed ? size : undefined));
    metrics.push(metric(`coldStart.${v.handler}.${v.build}.loadMs`, `load, ${tag}, ${mapsText(DEPLOYED_SOURCE_MAPS)}${deployed ? ', the default' : ''}, median of ${asDeployed.importMs.n}`, round(asDeployed.importMs.p50), 'ms', deployed ? load : undefined));
    if (alternative) metrics.push(metric(`coldStart.${v.handler}.${v.build}.loadMsAlt`, `load, ${tag}, ${mapsText(!DEPLOYED_SOURCE_MAPS)}, median of ${alternative.importMs.n}`, round(alternative.importMs.p50), 'ms'));
  }
  const empty = results.find((r) => r.handler === '(empty module)')!;
  // The largest contributors of each deployed bundle (esbuild's metafile), printed and kept in the notes.
  const contributors = variants
    .filter((v) => v.build === 'stack')
    .map((v) => `${v.handler} (${round(v.bytes / 1024)} KiB): ${v.composition.slice(0, 8).map((c) => `${c.origin} ${round(c.bytes / 1024)} KiB`).join(', ')}`);
  console.log(`largest contributors per bundle, as the stack builds it (esbuild metafile):\n${contributors.map((c) => `  ${c}`).join('\n')}`);
  return {
    id: 'coldStart',
    title: '5. Cold start proxy (bundle size, load time in a fresh node)',
    seconds: (performance.now() - started) / 1000,
    metrics,
    details: {
      node: process.version,
      runs,
      results: results.map((r) => ({
        ...r,
        importMs: { p50: round(r.importMs.p50), p95: round(r.importMs.p95), min: round(r.importMs.min) },
        processMs: { p50: round(r.processMs.p50), p95: round(r.processMs.p95) },
      })),
      emptyProcessMsP50: round(empty.processMs.p50),
      composition: Object.fromEntries(
        variants.map((v) => [`${v.handler}, ${v.build}`, v.composition.slice(0, 12).map((c) => `${c.origin}: ${round(c.bytes / 1024)} KiB`)]),
      ),
    },
    notes: [
      'Bundled with esbuild\'s JS API with the arguments NodejsFunction passes for the stack (lib/constructs/publisherFunction.ts: --platform=node --target=node22 --format=esm, the createRequire banner, --minify, --sourcemap without sources content, no externals, --main-fields=module,main, and the stand-ins of lib/constructs/lambdaBundling.ts aliased: Lambda-environment credentials for the SDK\'s default chain, no postcss, htmlparser2\'s Parser alone, no dayjs, js-yaml\'s loader without its dumper); the "stack" bundles match the sizes of the assets `cdk synth` wrote to cdk.out. The stack bundles the AWS SDK (externalModules: []). "SDK external" leaves @aws-sdk/* and @smithy/* to the runtime (resolved here from node_modules, unbundled, as nodejs24.x loads its own copy). "main-first" leaves mainFields to esbuild\'s default (CommonJS first), without the stand-ins and with sources in the map, as the stack did before issue 14.',
      `Load = the time \`await import(bundle)\` takes inside a fresh \`node ${process.version}\` process (the child measures it; the first round only warms the file cache), median of ${runs}. The stack sets NODE_OPTIONS=--enable-source-maps only with deploy.sourceMaps (default ${DEPLOYED_SOURCE_MAPS}): the default is the judged case, the other is shown beside it. A whole empty node process takes ${round(empty.processMs.p50)} ms from spawn to exit here; Lambda's own init (runtime start, fetching the code) is not included.`,
      'Size = the minified index.mjs (what Lambda loads); the source map ships in the same asset but is only read with --enable-source-maps.',
      `Largest contributors per bundle as the stack builds it (esbuild metafile): ${contributors.join('; ')}.`,
    ],
  };
}
