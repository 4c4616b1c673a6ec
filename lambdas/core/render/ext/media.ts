import type { ArticleImage } from '../../article/types.js';
import type { FeedContext } from '../context.js';
import { imageCreditAndRights } from '../imageRights.js';
import { element, textElement } from '../xml.js';
import type { FeedExtension } from './types.js';

/** Media RSS (https://www.rssboard.org/media-rss) `media:content` for the lead image, in RSS and Atom alike. */
function mediaContent(ctx: FeedContext, image: ArticleImage | undefined): string {
  if (!image) return '';
  const { credit, rights } = imageCreditAndRights(image, ctx.config);
  const children =
    textElement('media:description', image.alt, { type: 'plain' }) +
    (image.caption !== undefined ? textElement('media:title', image.caption, { type: 'plain' }) : '') +
    (credit !== undefined ? textElement('media:credit', credit) : '') +
    (rights !== undefined ? textElement('media:copyright', rights) : '');
  const attrs = { url: image.url, medium: 'image', type: image.type, width: image.width, height: image.height, fileSize: image.length };
  return element('media:content', attrs, children);
}

export const mediaRss: FeedExtension = {
  namespace: { prefix: 'media', uri: 'http://search.yahoo.com/mrss/' },
  rssItem: (ctx, article) => mediaContent(ctx, article.image),
  atomItem: (ctx, article) => mediaContent(ctx, article.image),
};
