export { PoisonArticlesError, SectionBusyError } from './errors.js';
export { feedCacheControl, FeedStore, HASH_METADATA, sha256, type WriteResult } from './feedStore.js';
export { CloudFrontInvalidator, noInvalidation, type CdnInvalidator } from './invalidator.js';
export { publishSection, type CoordinatedPublishingDeps, type PublishOutcome } from './publishSection.js';
export { regenerateSection, type PublishingDeps, type RegenerationResult } from './regenerateSection.js';
export { SectionStateStore, type SectionState } from './sectionState.js';
