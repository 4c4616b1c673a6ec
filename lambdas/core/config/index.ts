export { ConfigError } from './errors.js';
export { CONFIG_ENV, formatIssues, issuePath, loadPublisherConfigFromCdkJson, loadPublisherConfigFromEnv, parsePublisherConfig } from './load.js';
export { MAX_AUTOMATIC_PER_ARTICLE, publisherConfigSchema, slugify, type AutomaticFeedsConfig, type PublisherConfig, type SectionConfig, type TagFeedConfig } from './schema.js';
