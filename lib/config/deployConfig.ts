import * as z from 'zod';
import { ConfigError, formatIssues } from '../../lambdas/core/config/index.js';

/** Log retention periods CloudWatch accepts (days); anything else is rejected at deploy time. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const hostName = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/, 'must be a lower-case host name');

/**
 * Settings only the AWS stack needs (the local run ignores them). Read from the cdk.json context
 * key `deploy`, overridable with `-c deploy='{...}'` or per key with `-c deploy.alarmEmail=...`.
 */
export const deployConfigSchema = z
  .object({
    /** Serve the feeds under your own domain; the ACM certificate must live in us-east-1 (CloudFront's rule). */
    customDomain: z
      .object({
        domainNames: z.array(hostName).min(1),
        certificateArn: z
          .string()
          .regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/, 'must be an ACM certificate ARN in us-east-1'),
        /**
         * Optional Route 53 public hosted zone holding the names: the stack then creates an A and an
         * AAAA alias record per name to the distribution. Without it, point the names at the
         * DistributionDomainName output in your DNS (CNAME, or your provider's alias/ANAME).
         */
        hostedZone: z
          .object({
            id: z.string().regex(/^Z[A-Z0-9]{1,32}$/, 'must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ'),
            name: hostName,
          })
          .strict()
          .optional(),
      })
      .strict()
      .refine((d) => !d.hostedZone || d.domainNames.every((n) => n === d.hostedZone!.name || n.endsWith(`.${d.hostedZone!.name}`)), {
        message: 'every domain name must lie in the hosted zone (hostedZone.name)',
        path: ['hostedZone', 'name'],
      })
      .optional(),
    /** E-mail address subscribed to the alarm topic (confirm the subscription mail once). */
    alarmEmail: z.email({ error: 'must be an e-mail address' }).optional(),
    /** Days the Lambda, API access and CloudFront/S3 access logs are kept. */
    logRetentionDays: z
      .number()
      .int()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), { message: `must be one of ${LOG_RETENTION_DAYS.join(', ')}` })
      .default(30),
    /**
     * Source-mapped stack traces in the functions' logs (NODE_OPTIONS=--enable-source-maps). Off by
     * default: Node parses each bundle's map at every cold start (about 100 ms measured by the bench,
     * issue 14). The maps ship in every asset either way, so a minified trace can be mapped offline.
     */
    sourceMaps: z.boolean().default(false),
    /**
     * Paid CloudFront invalidation, off by default: feeds then reach readers through the short edge
     * lifetime of lambdas/core/publish/cachePolicy.ts (worst case 10 s, no invalidation spend).
     * On: one wildcard per changed feed folder per regeneration, never more than monthlyPathBudget
     * paths a calendar month (default: the 1,000 CloudFront does not charge for).
     */
    cdnInvalidation: z
      .object({
        enabled: z.boolean().default(false),
        monthlyPathBudget: z.number().int().min(1).max(1_000_000).default(1000),
      })
      .strict()
      .default({ enabled: false, monthlyPathBudget: 1000 }),
    /**
     * Reserved concurrency 1 for regeneration: one invocation at a time. Ordering does not need it
     * (the section lease does that, see Regeneration); accounts whose concurrency quota cannot
     * reserve any (new accounts) must leave it off.
     */
    serializeRegeneration: z.boolean().default(false),
    /**
     * Reserved concurrency per function: caps what a flood can cost and how hard it can hit the
     * table (ingest: each invocation runs transactions; content inbox: a content deploy is one S3
     * event per file; WebSub: hub pings). Lambda keeps 100 of the account's quota unreserved, so an
     * account whose quota is the new-account 10 must set `false` (no reservation at all).
     */
    reservedConcurrency: z
      .union([
        z.literal(false),
        z
          .object({
            ingest: z.number().int().min(1).max(1000).default(10),
            contentInbox: z.number().int().min(1).max(1000).default(2),
            webSub: z.number().int().min(1).max(1000).default(2),
          })
          .strict(),
      ])
      .default({ ingest: 10, contentInbox: 2, webSub: 2 }),
    /** Ingest API throttling for the whole stage (requests per second, burst). */
    ingestThrottle: z
      .object({ rateLimit: z.number().int().min(1).max(10_000).default(50), burstLimit: z.number().int().min(1).max(5_000).default(100) })
      .strict()
      .default({ rateLimit: 50, burstLimit: 100 }),
    /** Stream processing of the article table. */
    regeneration: z
      .object({
        /** Seconds Lambda waits to gather a burst of changes into one batch (one render per section). */
        batchingWindowSeconds: z.number().int().min(0).max(300).default(5),
        batchSize: z.number().int().min(1).max(10_000).default(1000),
        retryAttempts: z.number().int().min(0).max(10_000).default(5),
        /** Records older than this go to the dead-letter queue instead of being retried further. */
        maxRecordAgeSeconds: z.number().int().min(60).max(604_800).default(86_400),
      })
      .strict()
      .default({ batchingWindowSeconds: 5, batchSize: 1000, retryAttempts: 5, maxRecordAgeSeconds: 86_400 }),
    /** Optional AWS WAF web ACL (global scope, us-east-1) attached to the distribution. */
    webAclArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/.+$/, 'must be a global-scope WAFv2 web ACL ARN')
      .optional(),
  })
  .strict();

export type DeployConfig = z.output<typeof deployConfigSchema>;

export function parseDeployConfig(raw: unknown, source: string): DeployConfig {
  const result = deployConfigSchema.safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(source, formatIssues(result.error, 'deploy'));
  return result.data;
}
