import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from './errors.js';
import { issuePath } from './issuePath.js';
import { publisherConfigSchema, type PublisherConfig } from './schema.js';

export function formatIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((i) => `${[prefix, issuePath(i.path)].filter(Boolean).join('.') || '(root)'}: ${i.message}`);
}

/** Validates a raw configuration object, throwing a ConfigError that names each bad key. */
export function parsePublisherConfig(raw: unknown, source: string): PublisherConfig {
  const result = publisherConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(source, formatIssues(result.error, 'publisher'));
  return result.data;
}

/** Reads the `publisher` context of cdk.json: the one configuration the stack and the local run share. */
export function loadPublisherConfigFromCdkJson(path = 'cdk.json'): PublisherConfig {
  const cdk = JSON.parse(readFileSync(path, 'utf8')) as { context?: { publisher?: unknown } };
  return parsePublisherConfig(cdk.context?.publisher, `${path} context "publisher"`);
}
