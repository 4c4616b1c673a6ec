import { channelLinks } from './links.js';
import type { FeedExtension } from './types.js';

const HUB = new Set(['hub']);

/** WebSub (W3C): `rel="hub"` links to the hubs told about each change (atom:link in RSS). */
export const webSub: FeedExtension = {
  rssChannel: (ctx) => channelLinks(ctx, 'rss', HUB),
  atomChannel: (ctx) => channelLinks(ctx, 'atom', HUB),
};
