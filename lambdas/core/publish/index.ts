export { PoisonArticlesError, SectionBusyError } from './errors.js';
export { feedCacheControl, FeedStore, HASH_METADATA, sha256, type WriteResult } from './feedStore.js';
export { CloudFrontInvalidator, noInvalidation, type CdnInvalidator } from './invalidator.js';
export { allTargets, listing, sectionTarget, tagTarget, targetByKey, type FeedTarget } from './feedTarget.js';
export { BackgroundHubNotifier, DEFAULT_PING, pingHub, type HubNotifier, type PingOptions } from './hubNotifier.js';
export { publishFeed, publishSection, reconcileArchive, type CoordinatedPublishingDeps, type PublishOutcome } from './publishSection.js';
export { newestArchivePage, publishSiteDocuments, regenerateFeed, regenerateSection, renderTargetDocuments, type ArchiveWork, type PublishingDeps, type RegenerationResult } from './regenerateSection.js';
export { SectionStateStore, type SectionState } from './sectionState.js';
export { SqsHubNotifier, type HubNotification } from './sqsHubNotifier.js';
