export { buildFeedContext, GENERATOR, type FeedContext } from './context.js';
export { FEED_FORMATS, FORMAT_NAMES, sectionFeedPath, type FeedFormat } from './formats.js';
export { renderAtom } from './atom.js';
export { renderJsonFeed } from './jsonFeed.js';
export { renderRss } from './rss.js';
export { renderSectionDocuments, renderSectionFeeds, SECTION_RENDERERS, type RenderedDocument, type SectionRenderer } from './renderSection.js';
