import type { PublisherConfig } from '../config/index.js';
import { renderFeedIndex, type FeedListing } from './html.js';
import { renderOpml } from './opml.js';
import type { RenderedDocument } from './renderSection.js';
import { cacheControlFor } from '../publish/cachePolicy.js';
import { FEED_XSLT } from './xslt.js';

export const FEED_XSLT_PATH = 'feeds/feed.xsl';

/** Documents about all feeds at once: the index page, the OPML list and the feeds' XSLT view. */
export function renderSiteDocuments(config: PublisherConfig, feedBaseUrl: string, feeds: FeedListing[]): RenderedDocument[] {
  const base = feedBaseUrl.replace(/\/+$/, '');
  return [
    { path: 'feeds/index.html', contentType: 'text/html; charset=utf-8', body: renderFeedIndex(config, base, feeds) },
    { path: 'feeds/index.opml', contentType: 'text/x-opml; charset=utf-8', body: renderOpml(config, base, feeds) },
    { path: FEED_XSLT_PATH, contentType: 'text/xsl; charset=utf-8', body: FEED_XSLT, cacheControl: cacheControlFor('stylesheet', config) },
  ];
}
