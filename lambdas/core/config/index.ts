export { ConfigError } from './errors.js';
export { CONFIG_ENV, loadPublisherConfigFromEnv, readValidatedPublisherConfig } from './fromEnv.js';
export { formatIssues, loadPublisherConfigFromCdkJson, parsePublisherConfig } from './load.js';
export { issuePath } from './issuePath.js';
export { MAX_AUTOMATIC_PER_ARTICLE, publisherConfigSchema, slugify, type AutomaticFeedsConfig, type PublisherConfig, type SectionConfig, type TagFeedConfig } from './schema.js';
