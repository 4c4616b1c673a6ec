import { textElement } from '../xml.js';
import type { FeedExtension } from './types.js';

/** Dublin Core `dc:creator` per author in RSS, whose own `<author>` is reserved for an e-mail address. Atom has `<author>`. */
export const dublinCore: FeedExtension = {
  namespace: { prefix: 'dc', uri: 'http://purl.org/dc/elements/1.1/' },
  rssItem: (_ctx, article) => article.authors.map((a) => textElement('dc:creator', a.name)).join(''),
};
