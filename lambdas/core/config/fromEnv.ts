import { ConfigError } from './errors.js';
import type { PublisherConfig } from './schema.js';

/** Lambdas receive the validated configuration as JSON in one environment variable. */
export const CONFIG_ENV = 'PUBLISHER_CONFIG';

type Check = (value: unknown) => boolean;
const isString: Check = (v) => typeof v === 'string';
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isBoolean: Check = (v) => typeof v === 'boolean';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const TOP: Record<string, Check> = {
  siteTitle: isString, siteUrl: isString, language: isString, itemIdAuthority: isString,
  itemsPerFeed: isNumber, feedMaxAgeSeconds: isNumber, archivePageSize: isNumber, imageDefaults: isObject,
  websubHubs: (v) => Array.isArray(v) && v.every(isString),
};
const SECTION: Record<string, Check> = { name: isString, slug: isString, title: isString, description: isString, fullTextInPublicFeeds: isBoolean };
const TAG_FEED: Record<string, Check> = { tag: isString, slug: isString, title: isString, description: isString };

function checkFields(value: Record<string, unknown>, fields: Record<string, Check>, path: string, problems: string[]): void {
  for (const [key, check] of Object.entries(fields)) if (!check(value[key])) problems.push(`${path}${key}: is missing or of the wrong type`);
}

function checkList(value: unknown, fields: Record<string, Check>, path: string, problems: string[], nonEmpty: boolean): void {
  if (!Array.isArray(value) || (nonEmpty && value.length === 0)) return void problems.push(`${path}: must be a${nonEmpty ? ' non-empty' : ''} list`);
  value.forEach((item, i) => (isObject(item) ? checkFields(item, fields, `${path}[${i}].`, problems) : problems.push(`${path}[${i}]: must be an object`)));
}

/**
 * The configuration as the stack hands it to a function: already validated at synth by
 * parsePublisherConfig (defaults applied, slugs derived), serialized as JSON. Read here without
 * zod (issue 14: a function that only renders does not carry a schema library), checking only
 * that it has that shape, so a hand-edited or stale variable fails at once and by name.
 */
export function readValidatedPublisherConfig(json: string | undefined, source = `environment variable ${CONFIG_ENV}`): PublisherConfig {
  if (!json) throw new ConfigError(source, ['is not set']);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ConfigError(source, ['is not JSON']);
  }
  if (!isObject(raw)) throw new ConfigError(source, ['must be the publisher configuration object the stack writes']);
  const problems: string[] = [];
  checkFields(raw, TOP, 'publisher.', problems);
  checkList(raw['sections'], SECTION, 'publisher.sections', problems, true);
  checkList(raw['tagFeeds'], TAG_FEED, 'publisher.tagFeeds', problems, false);
  if (problems.length > 0) throw new ConfigError(source, [...problems, 'the stack writes this variable from the validated cdk.json "publisher" context: redeploy rather than edit it']);
  return raw as unknown as PublisherConfig;
}

export function loadPublisherConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PublisherConfig {
  return readValidatedPublisherConfig(env[CONFIG_ENV]);
}
