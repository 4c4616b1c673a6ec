export { feedCacheControl, FeedStore, HASH_METADATA, sha256, type WriteResult } from './feedStore.js';
export { CloudFrontInvalidator, noInvalidation, type CdnInvalidator } from './invalidator.js';
export { regenerateSection, type PublishingDeps, type RegenerationResult } from './regenerateSection.js';
