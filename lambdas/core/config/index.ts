export { ConfigError } from './errors.js';
export { CONFIG_ENV, loadPublisherConfigFromEnv, readValidatedPublisherConfig } from './fromEnv.js';
export { formatIssues, issuePath, loadPublisherConfigFromCdkJson, parsePublisherConfig } from './load.js';
export { publisherConfigSchema, slugify, type PublisherConfig, type SectionConfig, type TagFeedConfig } from './schema.js';
