export { buildFeedContext } from './context.js';
export { settledDocument } from './formats.js';
export { renderAtom } from './atom.js';
export { renderJsonFeed } from './jsonFeed.js';
export { renderRss } from './rss.js';
export { renderFeedDocuments, renderSectionFeeds, type RenderedDocument } from './renderFeedDocuments.js';
export { renderSiteDocuments } from './siteDocuments.js';
export { type FeedListing } from './html.js';
export { renderArchivePage } from './archive.js';
