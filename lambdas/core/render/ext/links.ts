import type { FeedContext } from '../context.js';
import { emptyElement } from '../xml.js';

/** The channel links of one format with these rels, as RSS `atom:link` or Atom `link`. */
export function channelLinks(ctx: FeedContext, format: 'rss' | 'atom', rels: ReadonlySet<string>): string {
  const element = format === 'rss' ? 'atom:link' : 'link';
  return ctx.links
    .filter((l) => rels.has(l.rel) && (!l.format || l.format === format))
    .map((l) => emptyElement(element, { rel: l.rel, href: l.href, type: l.type }))
    .join('');
}
