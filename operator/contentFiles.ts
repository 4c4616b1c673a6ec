import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CONTENT_FILE } from '../lambdas/core/content/index.js';
import { readContentRecord, type ContentRecordResult } from '../lambdas/core/content/index.js';

/** Content files (`.md`, `.json`) named directly or found in the given folders (recursively), in order, without duplicates. */
export async function findContentFiles(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (path: string): Promise<void> => {
    const info = await stat(path);
    if (info.isDirectory()) {
      const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
      for (const entry of entries) {
        if (entry.isDirectory()) await walk(join(path, entry.name));
        else if (CONTENT_FILE.test(entry.name)) found.push(join(path, entry.name));
      }
    } else if (CONTENT_FILE.test(path)) {
      found.push(path);
    } else {
      throw new Error(`${path}: not a content file (.md or .json)`);
    }
  };
  for (const path of paths) await walk(resolve(path));
  return [...new Set(found)];
}

export type LoadedFile = ContentRecordResult & { file: string };

/**
 * Each file parsed as the content inbox does it, except that a record's own `id` wins over the
 * file name (these files are posted, not shipped: removing one retracts nothing).
 */
export async function loadContentFiles(files: readonly string[]): Promise<LoadedFile[]> {
  return Promise.all(files.map(async (file) => ({ file, ...readContentRecord(file, await readFile(file, 'utf8'), { idMustMatchFileName: false }) })));
}
