import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

/** Committed baselines; `UPDATE_SCREENSHOTS=1 npx vitest run test/browser` rewrites them from this run. */
export const BASELINE_DIR = resolve('test/browser/__screenshots__');
/** This run's screenshots and, on a mismatch, the diff image. */
export const RESULT_DIR = resolve('test-results/browser');
const UPDATE = process.env['UPDATE_SCREENSHOTS'] === '1';

/** Per-pixel colour distance pixelmatch tolerates (anti-aliasing noise), and the share of pixels that may differ. */
const PIXEL_THRESHOLD = 0.1;
const MAX_DIFF_RATIO = 0.002;

export interface ScreenshotComparison {
  name: string;
  /** Why it does not match its baseline; undefined when it does (or the baseline was just written). */
  mismatch?: string;
}

/** Compares a PNG with its baseline, writing this run's image (and a diff) under test-results/browser. */
export function compareWithBaseline(name: string, png: Buffer): ScreenshotComparison {
  mkdirSync(RESULT_DIR, { recursive: true });
  writeFileSync(join(RESULT_DIR, `${name}.png`), png);
  const baselineFile = join(BASELINE_DIR, `${name}.png`);
  if (UPDATE) {
    mkdirSync(BASELINE_DIR, { recursive: true });
    writeFileSync(baselineFile, png);
    return { name };
  }
  if (!existsSync(baselineFile)) return { name, mismatch: `no baseline ${baselineFile} (run with UPDATE_SCREENSHOTS=1 and look at it)` };
  const actual = PNG.sync.read(png);
  const expected = PNG.sync.read(readFileSync(baselineFile));
  if (actual.width !== expected.width || actual.height !== expected.height) {
    return { name, mismatch: `size ${actual.width}×${actual.height}, baseline ${expected.width}×${expected.height}` };
  }
  const diff = new PNG({ width: actual.width, height: actual.height });
  const differing = pixelmatch(actual.data, expected.data, diff.data, actual.width, actual.height, { threshold: PIXEL_THRESHOLD });
  const ratio = differing / (actual.width * actual.height);
  if (ratio <= MAX_DIFF_RATIO) return { name };
  writeFileSync(join(RESULT_DIR, `${name}-diff.png`), PNG.sync.write(diff));
  return { name, mismatch: `${differing} pixels (${(ratio * 100).toFixed(2)} %) differ; see ${join(RESULT_DIR, `${name}-diff.png`)}` };
}
