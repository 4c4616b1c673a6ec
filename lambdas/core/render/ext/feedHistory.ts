import { channelLinks } from './links.js';
import type { FeedExtension } from './types.js';

const HISTORY_RELS = new Set(['current', 'prev-archive', 'next-archive']);

/**
 * RFC 5005 feed history: `fh:archive` marks an archive document; `current`, `prev-archive` and
 * `next-archive` link the subscription feed and the archive pages (atom:link in RSS).
 */
export const feedHistory: FeedExtension = {
  namespace: { prefix: 'fh', uri: 'http://purl.org/syndication/history/1.0' },
  rssChannel: (ctx) => (ctx.archive ? '<fh:archive/>' : '') + channelLinks(ctx, 'rss', HISTORY_RELS),
  atomChannel: (ctx) => (ctx.archive ? '<fh:archive/>' : '') + channelLinks(ctx, 'atom', HISTORY_RELS),
};
