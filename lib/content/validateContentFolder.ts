import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArticleValidator } from '../../lambdas/core/article/index.js';
import type { PublisherConfig } from '../../lambdas/core/config/index.js';
import { CONTENT_FILE } from '../../lambdas/core/content/index.js';
import { describeFieldErrors, readContentRecord } from '../../lambdas/core/content/index.js';

/** A content folder with at least one file that could never be published. */
export class ContentError extends Error {
  override readonly name = 'ContentError';
  constructor(
    readonly folder: string,
    readonly problems: string[],
  ) {
    super(`Invalid content in ${folder} (fix or remove these files, then synth/deploy again):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** The content files of a folder (not recursive: `content/{id}.md`), sorted. */
export function contentFileNames(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((e) => e.isFile() && CONTENT_FILE.test(e.name))
    .map((e) => e.name)
    .sort();
}

/**
 * Checks every file of the folder with the very parser and validator the inbox function uses, so a
 * bad file fails `cdk synth` / `cdk deploy` before anything is deployed. (Version conflicts with the
 * stored article can only be known in the account; the inbox function reports those.)
 */
export function validateContentFolder(folder: string, config: PublisherConfig): string[] {
  const validator = new ArticleValidator(config);
  const problems: string[] = [];
  const files = contentFileNames(folder);
  for (const name of files) {
    // `media/...` references resolve against the deployed feeds host, unknown at synth; any https origin validates the same.
    const parsed = readContentRecord(name, readFileSync(join(folder, name), 'utf8'), { feedsOrigin: 'https://feeds.invalid' });
    const errors = parsed.ok ? (() => { const r = validator.parse(parsed.record); return r.ok ? [] : r.errors; })() : parsed.errors;
    if (errors.length > 0) problems.push(`${name}: ${describeFieldErrors(errors)}`);
  }
  if (problems.length > 0) throw new ContentError(folder, problems);
  return files;
}
