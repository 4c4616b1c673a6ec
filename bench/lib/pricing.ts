/**
 * AWS list prices the cost model uses. Region us-east-1 (N. Virginia), on-demand, no free tier
 * except CloudFront's first 1,000 invalidation paths a month (the issue names it). Taken from the
 * public pricing pages (aws.amazon.com/lambda/pricing, /dynamodb/pricing/on-demand, /s3/pricing,
 * /cloudfront/pricing, /api-gateway/pricing) as they stood in June 2025, DynamoDB's on-demand
 * prices being those in force since the 1 November 2024 reduction. The bench machine has no
 * internet, so they are not re-fetched at run time: re-check them before quoting a figure. CloudFront's
 * request and transfer prices are the pay-as-you-go ones (not the flat-rate plans), before its always-free
 * tier (1 TB and 10 million requests a month), which the reader-traffic lines leave out.
 */
export const PRICES = {
  region: 'us-east-1',
  /**
   * Lambda, DynamoDB, S3, API Gateway as of June 2025; CloudFront and SQS re-read 2026-12-02 (invalidation:
   * docs.aws.amazon.com PayingForInvalidation); EventBridge Scheduler checked 2026-12-03 (AWS price list
   * AWSEvents, effective 2024-10-01: "$0 for the first 14 million scheduled invocations", then $1.00 per
   * million in us-east-1; creating and deleting schedules is not billed).
   */
  asOf: '2025-06-01 / 2026-12-03',
  currency: 'USD',
  lambda: {
    /** arm64, first 7.5 billion GB-seconds a month. */
    perGbSecondArm64: 0.0000133334,
    perMillionRequests: 0.2,
  },
  dynamodb: {
    /** On-demand, Standard table class. */
    perMillionWriteRequestUnits: 0.625,
    perMillionReadRequestUnits: 0.125,
    /** DynamoDB Streams reads; those made by a Lambda event source mapping are free. */
    perMillionStreamReadRequestUnits: 0.2,
    streamReadsByLambdaAreFree: true,
  },
  s3: {
    /** S3 Standard. */
    perThousandPut: 0.005,
    /** GET, HEAD and other reads. */
    perThousandGet: 0.0004,
  },
  cloudfront: {
    freeInvalidationPathsPerMonth: 1000,
    perInvalidationPath: 0.005,
    /** HTTPS requests, United States / Europe (reader traffic). */
    perTenThousandHttpsRequests: 0.01,
    /** Data transfer out to the internet, first 10 TB a month, United States / Europe (reader traffic). */
    perGbTransferOut: 0.085,
  },
  sqs: {
    /** Standard queue (WebSub notifications, dead letters). */
    perMillionRequests: 0.4,
  },
  scheduler: {
    /** EventBridge Scheduler invocations beyond the free 14 million a month (issue 12: one one-time schedule per scheduled article: created free, invoked once). */
    perMillionInvocations: 1.0,
    freeInvocationsPerMonth: 14_000_000,
  },
  apiGateway: {
    /** HTTP API, first 300 million requests a month (not in the list; shown for completeness). */
    perMillionHttpApiRequests: 1.0,
  },
} as const;

/** Days in the month the cost model bills. */
export const DAYS_PER_MONTH = 30;
