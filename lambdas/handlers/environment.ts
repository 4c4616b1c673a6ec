/** Environment variables the handlers read; the stack sets them, the local run sets them too. */
export const ENV = {
  /** DynamoDB table of articles. */
  tableName: 'ARTICLE_TABLE',
  /** S3 bucket the feeds are written to. */
  feedBucket: 'FEED_BUCKET',
  /** Public origin feeds are served from (CloudFront domain, custom domain, or the local server). */
  feedBaseUrl: 'FEED_BASE_URL',
  /** CloudFront distribution to invalidate after a publish (opt-in); unset means rely on the edge lifetime alone. */
  distributionId: 'DISTRIBUTION_ID',
  /** Monthly budget of paid invalidation paths (set only with deploy.cdnInvalidation.enabled). */
  invalidationPathBudget: 'INVALIDATION_PATH_BUDGET',
  /** Lease of a section's regeneration, in ms; must exceed the regeneration function's timeout. */
  sectionLeaseTtlMs: 'SECTION_LEASE_TTL_MS',
  /** Queue of WebSub notifications; unset = no hubs configured. */
  websubQueueUrl: 'WEBSUB_QUEUE_URL',
  /** Validated publisher configuration as JSON (see lambdas/core/config). */
  publisherConfig: 'PUBLISHER_CONFIG',
} as const;

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}
