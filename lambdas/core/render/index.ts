export { buildFeedContext, newestFirst, type FeedContext, type FeedContextOptions, type FeedLink } from './context.js';
export { FEED_DOCUMENTS, SITE_DOCUMENTS, currentDocument, partnerDocument, settledDocument, type CachePolicy } from './formats.js';
export { renderAtom } from './atom.js';
export { renderJsonFeed } from './jsonFeed.js';
export { renderRss } from './rss.js';
export { renderFeedDocuments, renderSectionFeeds, type RenderedDocument } from './renderFeedDocuments.js';
export { renderSiteDocuments } from './siteDocuments.js';
export { type FeedListing } from './html.js';
export { renderArchivePage, type ArchivePage } from './archive.js';
