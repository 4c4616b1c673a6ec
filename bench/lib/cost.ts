/**
 * Monthly cost at a given change rate, from what the benches counted per change. Two ways the
 * changes may arrive: in bursts like the measured 500-change burst (coalesced), or one at a time
 * far enough apart that every change is its own ingest request and its own regeneration.
 */
import { DAYS_PER_MONTH, PRICES } from './pricing.js';
import { round } from './stats.js';

/** Everything one change costs, in billable units. */
export interface PerChangeUsage {
  ingestRequests: number;
  /** Billed ingest Lambda time per change, ms (already rounded up per invocation). */
  ingestLambdaMs: number;
  regenerationInvocations: number;
  regenerationLambdaMs: number;
  writeUnits: number;
  readUnits: number;
  s3Puts: number;
  s3Heads: number;
  invalidationPaths: number;
  putBytes: number;
}

export interface CostLine {
  item: string;
  monthlyQuantity: number;
  unit: string;
  unitPrice: string;
  monthlyUsd: number;
}

export interface CostScenario {
  name: string;
  changesPerDay: number;
  perChange: PerChangeUsage;
  lines: CostLine[];
  totalUsd: number;
  /** The issue's list (Lambda, DynamoDB, S3, CloudFront invalidations) without API Gateway. */
  totalIssueItemsUsd: number;
}

export interface LambdaMemory {
  ingestMb: number;
  regenerationMb: number;
}

export function monthlyCost(name: string, perChange: PerChangeUsage, changesPerDay: number, memory: LambdaMemory): CostScenario {
  const changes = changesPerDay * DAYS_PER_MONTH;
  const p = PRICES;
  const gbs = (ms: number, mb: number) => (ms / 1000) * (mb / 1024);
  const ingestGbs = gbs(perChange.ingestLambdaMs, memory.ingestMb) * changes;
  const regenGbs = gbs(perChange.regenerationLambdaMs, memory.regenerationMb) * changes;
  const requests = (perChange.ingestRequests + perChange.regenerationInvocations) * changes;
  const paths = perChange.invalidationPaths * changes;
  const lines: CostLine[] = [
    { item: 'Lambda requests (ingest + regeneration)', monthlyQuantity: requests, unit: 'requests', unitPrice: `$${p.lambda.perMillionRequests}/M`, monthlyUsd: (requests / 1e6) * p.lambda.perMillionRequests },
    { item: `Lambda ingest duration (${memory.ingestMb} MB arm64)`, monthlyQuantity: ingestGbs, unit: 'GB-s', unitPrice: `$${p.lambda.perGbSecondArm64}/GB-s`, monthlyUsd: ingestGbs * p.lambda.perGbSecondArm64 },
    { item: `Lambda regeneration duration (${memory.regenerationMb} MB arm64)`, monthlyQuantity: regenGbs, unit: 'GB-s', unitPrice: `$${p.lambda.perGbSecondArm64}/GB-s`, monthlyUsd: regenGbs * p.lambda.perGbSecondArm64 },
    { item: 'DynamoDB on-demand writes (ingest transactions, section state)', monthlyQuantity: perChange.writeUnits * changes, unit: 'WRU', unitPrice: `$${p.dynamodb.perMillionWriteRequestUnits}/M`, monthlyUsd: ((perChange.writeUnits * changes) / 1e6) * p.dynamodb.perMillionWriteRequestUnits },
    { item: 'DynamoDB on-demand reads (ingest GetItem, state, entry Queries)', monthlyQuantity: perChange.readUnits * changes, unit: 'RRU', unitPrice: `$${p.dynamodb.perMillionReadRequestUnits}/M`, monthlyUsd: ((perChange.readUnits * changes) / 1e6) * p.dynamodb.perMillionReadRequestUnits },
    { item: 'DynamoDB Streams reads (by the Lambda event source mapping: free)', monthlyQuantity: 0, unit: 'stream RRU', unitPrice: `$${p.dynamodb.perMillionStreamReadRequestUnits}/M`, monthlyUsd: 0 },
    { item: 'S3 PUT (feed uploads)', monthlyQuantity: perChange.s3Puts * changes, unit: 'PUT', unitPrice: `$${p.s3.perThousandPut}/1000`, monthlyUsd: ((perChange.s3Puts * changes) / 1000) * p.s3.perThousandPut },
    { item: 'S3 HEAD (unchanged-bytes checks)', monthlyQuantity: perChange.s3Heads * changes, unit: 'HEAD', unitPrice: `$${p.s3.perThousandGet}/1000`, monthlyUsd: ((perChange.s3Heads * changes) / 1000) * p.s3.perThousandGet },
    {
      item: `CloudFront invalidation paths (first ${p.cloudfront.freeInvalidationPathsPerMonth} free)`,
      monthlyQuantity: paths,
      unit: 'paths',
      unitPrice: `$${p.cloudfront.perInvalidationPath}/path`,
      monthlyUsd: Math.max(0, paths - p.cloudfront.freeInvalidationPathsPerMonth) * p.cloudfront.perInvalidationPath,
    },
    { item: 'API Gateway HTTP API requests (ingest)', monthlyQuantity: perChange.ingestRequests * changes, unit: 'requests', unitPrice: `$${p.apiGateway.perMillionHttpApiRequests}/M`, monthlyUsd: ((perChange.ingestRequests * changes) / 1e6) * p.apiGateway.perMillionHttpApiRequests },
  ];
  const total = lines.reduce((s, l) => s + l.monthlyUsd, 0);
  const apiGateway = lines.at(-1)!.monthlyUsd;
  return {
    name,
    changesPerDay,
    perChange: Object.fromEntries(Object.entries(perChange).map(([k, v]) => [k, round(v, 4)])) as unknown as PerChangeUsage,
    lines: lines.map((l) => ({ ...l, monthlyQuantity: round(l.monthlyQuantity, 4), monthlyUsd: Math.round(l.monthlyUsd * 100) / 100 })),
    totalUsd: Math.round(total * 100) / 100,
    totalIssueItemsUsd: Math.round((total - apiGateway) * 100) / 100,
  };
}

/** Lambda bills duration per invocation rounded up to the millisecond. */
export const billedMs = (ms: number) => Math.ceil(ms);
