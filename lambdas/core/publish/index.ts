export { PoisonArticlesError } from './errors.js';
export type { FeedState, FeedStateStore, Manifest, SiteState } from './feedState.js';
export { noInvalidation, type CdnInvalidator } from './invalidator.js';
export { BackgroundHubNotifier, pingHub, type HubNotification, type HubNotifier, type PingOptions } from './hubNotifier.js';
export { publishFeed, reconcileArchive, type CoordinatedPublishingDeps } from './publishFeed.js';
export { newestArchivePage, regenerateFeed } from './regenerateFeed.js';
export { publishSiteDocuments } from './siteDocuments.js';
export { BudgetedInvalidator, budgetKey, budgetMonth, folderWildcards, type BudgetedInvalidatorOptions, type PathBudget } from './invalidationBudget.js';
export { cacheControlFor, type DocumentClass } from './cachePolicy.js';
