export { ConfigError } from './errors.js';
export { CONFIG_ENV, formatIssues, issuePath, loadPublisherConfigFromCdkJson, loadPublisherConfigFromEnv, parsePublisherConfig } from './load.js';
export { publisherConfigSchema, slugify, type PublisherConfig, type SectionConfig, type TagFeedConfig } from './schema.js';
