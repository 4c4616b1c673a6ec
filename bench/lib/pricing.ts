/**
 * AWS list prices the cost model uses. Region us-east-1 (N. Virginia), on-demand, no free tier
 * except CloudFront's first 1,000 invalidation paths a month (the issue names it). Taken from the
 * public pricing pages (aws.amazon.com/lambda/pricing, /dynamodb/pricing/on-demand, /s3/pricing,
 * /cloudfront/pricing, /api-gateway/pricing) as they stood in June 2025, DynamoDB's on-demand
 * prices being those in force since the 1 November 2024 reduction. The bench machine has no
 * internet, so they are not re-fetched at run time: re-check them before quoting a figure.
 */
export const PRICES = {
  region: 'us-east-1',
  asOf: '2025-06-01',
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
  },
  apiGateway: {
    /** HTTP API, first 300 million requests a month (not in the list; shown for completeness). */
    perMillionHttpApiRequests: 1.0,
  },
} as const;

/** Days in the month the cost model bills. */
export const DAYS_PER_MONTH = 30;
