import type { ArticleImage } from '../article/index.js';
import type { PublisherConfig } from '../config/index.js';

/** Credit line and rights statement of a lead image: the record's own, else the site-wide defaults. */
export function imageCreditAndRights(image: ArticleImage, config: PublisherConfig): { credit?: string; rights?: string } {
  const credit = image.credit ?? config.imageDefaults.credit;
  const rights = image.rights ?? config.imageDefaults.rights;
  return { ...(credit !== undefined && { credit }), ...(rights !== undefined && { rights }) };
}
