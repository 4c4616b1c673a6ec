import type { PublisherConfig } from '../config/index.js';
import { SITE_DOCUMENTS } from './formats.js';
import type { FeedListing } from './html.js';
import type { RenderedDocument } from './renderFeedDocuments.js';

/** Documents about all feeds at once (index page, OPML list, the feeds' XSLT view), from the registry. */
export function renderSiteDocuments(config: PublisherConfig, feedBaseUrl: string, feeds: readonly FeedListing[]): RenderedDocument[] {
  const base = feedBaseUrl.replace(/\/+$/, '');
  return SITE_DOCUMENTS.map((kind) => ({ path: kind.path, contentType: kind.contentType, body: kind.render(config, base, feeds), cacheControl: kind.cacheControl(config) }));
}
