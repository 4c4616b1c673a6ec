import type { Article } from './types.js';

/** The newest correction's time, as the record wrote it; undefined without corrections. */
export function correctedAt(article: Article): string | undefined {
  let newest: string | undefined;
  for (const c of article.corrections ?? []) if (newest === undefined || Date.parse(c.at) > Date.parse(newest)) newest = c.at;
  return newest;
}

/**
 * When readers should see the item as last changed: `updatedAt`, or the newest correction if later
 * (Atom `updated`, RSS `atom:updated`, JSON Feed `date_modified`, ninjs `versionCreated`, the
 * feed's own updated time). As the record wrote it, so the page can show the newsroom's offset.
 */
export function modifiedAt(article: Article): string {
  const corrected = correctedAt(article);
  return corrected !== undefined && Date.parse(corrected) > Date.parse(article.updatedAt) ? corrected : article.updatedAt;
}
