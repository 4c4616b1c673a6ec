/** The pages people read (see pages/): a feed's page and the index of all feeds. */
export { renderFeedPage, type FeedPageOptions } from './pages/feedPage.js';
export { renderFeedIndex, type FeedListing } from './pages/indexPage.js';
export { PAGE_SCRIPT } from './pages/layout.js';
