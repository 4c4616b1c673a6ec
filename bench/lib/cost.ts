/**
 * Monthly cost from what the benches counted per change (issue 14). What changes cost (ingest,
 * regeneration, storage, invalidation, scheduling) is priced per scenario; reader traffic
 * (CloudFront requests, transfer, origin fetches) is priced apart, in lines labelled "reader
 * traffic", since it is the same for any publisher at a given readership.
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
  /** Feed renders per change (section, tag and author feeds). */
  feedRenders: number;
  writeUnits: number;
  readUnits: number;
  s3Puts: number;
  s3Heads: number;
  /** Paid invalidation paths at the default setting (invalidation off: 0). */
  invalidationPaths: number;
  /** Paths regeneration would send with invalidation opted in (one wildcard per changed feed folder). */
  optInInvalidationPaths: number;
  sqsMessages: number;
  /** EventBridge Scheduler invocations (issue 12: one per scheduled article). */
  schedulerInvocations: number;
  /**
   * SQS requests of scheduled articles, per change: a schedule fires up to two minutes before the
   * instant (one-minute precision) and nothing waits for it; the publication goes on the
   * publication-due queue with a delay: one SendMessage, the ReceiveMessage that delivers it and
   * Lambda's DeleteMessage (PUBLICATION_DELAY_SQS_REQUESTS per scheduled article).
   */
  scheduledSqsRequests: number;
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
  /** What the changes cost (everything but reader traffic). */
  totalUsd: number;
  /** With invalidation opted in at the default budget (1,000 paths a month): the spend it would add. */
  optInInvalidationUsd: number;
}

export interface LambdaMemory {
  ingestMb: number;
  regenerationMb: number;
}

/** Send, receive (the delivering long poll), delete: what one delayed publication costs in SQS requests. */
export const PUBLICATION_DELAY_SQS_REQUESTS = 3;
/**
 * The idle long polling of the publication-due queue's event source mapping, stated: Lambda's SQS
 * pollers long-poll (20 s) until messages come; on a quiet queue they scale back to five concurrent
 * pollers, and may go down to two (AWS Lambda developer guide, "Configuring scaling behavior for SQS
 * event source mappings"). Priced at five, all month: 5 × 3 ReceiveMessage a minute.
 */
export const IDLE_SQS_POLLERS = 5;
export const SQS_LONG_POLL_SECONDS = 20;
const idleReceivesPerMonth = IDLE_SQS_POLLERS * (86_400 / SQS_LONG_POLL_SECONDS) * DAYS_PER_MONTH;

const usd = (n: number) => Math.round(n * 100) / 100;
const perMillion = (q: number, price: number) => (q / 1e6) * price;

/** Paid paths at a monthly budget: never more are sent than the budget; the first 1,000 are free. */
export function invalidationSpend(pathsPerMonth: number, budget: number): number {
  const sent = Math.min(pathsPerMonth, budget);
  return Math.max(0, sent - PRICES.cloudfront.freeInvalidationPathsPerMonth) * PRICES.cloudfront.perInvalidationPath;
}

export function monthlyCost(name: string, perChange: PerChangeUsage, changesPerDay: number, memory: LambdaMemory, invalidationBudget = 1000): CostScenario {
  const changes = changesPerDay * DAYS_PER_MONTH;
  const p = PRICES;
  const gbs = (ms: number, mb: number) => (ms / 1000) * (mb / 1024);
  const ingestGbs = gbs(perChange.ingestLambdaMs, memory.ingestMb) * changes;
  const regenGbs = gbs(perChange.regenerationLambdaMs, memory.regenerationMb) * changes;
  const requests = (perChange.ingestRequests + perChange.regenerationInvocations) * changes;
  const q = (n: number) => n * changes;
  const lines: CostLine[] = [
    { item: 'Lambda requests (ingest + regeneration)', monthlyQuantity: requests, unit: 'requests', unitPrice: `$${p.lambda.perMillionRequests}/M`, monthlyUsd: perMillion(requests, p.lambda.perMillionRequests) },
    { item: `Lambda ingest duration (${memory.ingestMb} MB arm64)`, monthlyQuantity: ingestGbs, unit: 'GB-s', unitPrice: `$${p.lambda.perGbSecondArm64}/GB-s`, monthlyUsd: ingestGbs * p.lambda.perGbSecondArm64 },
    { item: `Lambda regeneration duration (${memory.regenerationMb} MB arm64)`, monthlyQuantity: regenGbs, unit: 'GB-s', unitPrice: `$${p.lambda.perGbSecondArm64}/GB-s`, monthlyUsd: regenGbs * p.lambda.perGbSecondArm64 },
    {
      item: `SQS requests of scheduled articles (send, receive, delete of each delayed publication; ${IDLE_SQS_POLLERS} idle long-polling pollers all month)`,
      monthlyQuantity: q(perChange.scheduledSqsRequests) + idleReceivesPerMonth,
      unit: 'requests',
      unitPrice: `$${p.sqs.perMillionRequests}/M`,
      monthlyUsd: perMillion(q(perChange.scheduledSqsRequests) + idleReceivesPerMonth, p.sqs.perMillionRequests),
    },
    { item: 'DynamoDB on-demand writes (ingest transactions billed double, feed state)', monthlyQuantity: q(perChange.writeUnits), unit: 'WRU', unitPrice: `$${p.dynamodb.perMillionWriteRequestUnits}/M`, monthlyUsd: perMillion(q(perChange.writeUnits), p.dynamodb.perMillionWriteRequestUnits) },
    { item: 'DynamoDB on-demand reads (ingest GetItem, state, entry Queries)', monthlyQuantity: q(perChange.readUnits), unit: 'RRU', unitPrice: `$${p.dynamodb.perMillionReadRequestUnits}/M`, monthlyUsd: perMillion(q(perChange.readUnits), p.dynamodb.perMillionReadRequestUnits) },
    { item: 'DynamoDB Streams reads (by the Lambda event source mapping: free)', monthlyQuantity: 0, unit: 'stream RRU', unitPrice: `$${p.dynamodb.perMillionStreamReadRequestUnits}/M`, monthlyUsd: 0 },
    { item: 'S3 PUT (documents whose bytes changed)', monthlyQuantity: q(perChange.s3Puts), unit: 'PUT', unitPrice: `$${p.s3.perThousandPut}/1000`, monthlyUsd: (q(perChange.s3Puts) / 1000) * p.s3.perThousandPut },
    { item: 'S3 HEAD (as measured; the feed manifest replaces them)', monthlyQuantity: q(perChange.s3Heads), unit: 'HEAD', unitPrice: `$${p.s3.perThousandGet}/1000`, monthlyUsd: (q(perChange.s3Heads) / 1000) * p.s3.perThousandGet },
    { item: 'CloudFront invalidation paths (default: off)', monthlyQuantity: q(perChange.invalidationPaths), unit: 'paths', unitPrice: `$${p.cloudfront.perInvalidationPath}/path after ${p.cloudfront.freeInvalidationPathsPerMonth}`, monthlyUsd: invalidationSpend(q(perChange.invalidationPaths), Infinity) },
    { item: 'SQS requests (WebSub notifications, when hubs are configured)', monthlyQuantity: q(perChange.sqsMessages), unit: 'requests', unitPrice: `$${p.sqs.perMillionRequests}/M`, monthlyUsd: perMillion(q(perChange.sqsMessages), p.sqs.perMillionRequests) },
    {
      item: `EventBridge Scheduler invocations (scheduled articles; first ${p.scheduler.freeInvocationsPerMonth / 1e6} M free)`,
      monthlyQuantity: q(perChange.schedulerInvocations),
      unit: 'invocations',
      unitPrice: `$${p.scheduler.perMillionInvocations}/M`,
      monthlyUsd: perMillion(Math.max(0, q(perChange.schedulerInvocations) - p.scheduler.freeInvocationsPerMonth), p.scheduler.perMillionInvocations),
    },
    { item: 'API Gateway HTTP API requests (ingest)', monthlyQuantity: q(perChange.ingestRequests), unit: 'requests', unitPrice: `$${p.apiGateway.perMillionHttpApiRequests}/M`, monthlyUsd: perMillion(q(perChange.ingestRequests), p.apiGateway.perMillionHttpApiRequests) },
  ];
  const total = lines.reduce((s, l) => s + l.monthlyUsd, 0);
  return {
    name,
    changesPerDay,
    perChange: Object.fromEntries(Object.entries(perChange).map(([k, v]) => [k, round(v, 4)])) as unknown as PerChangeUsage,
    lines: lines.map((l) => ({ ...l, monthlyQuantity: round(l.monthlyQuantity, 4), monthlyUsd: usd(l.monthlyUsd) })),
    totalUsd: usd(total),
    optInInvalidationUsd: usd(invalidationSpend(q(perChange.optInInvalidationPaths), invalidationBudget)),
  };
}

export interface ReaderTraffic {
  requestsPerDay: number;
  /** Mean bytes CloudFront sends per feed response (compressed). */
  bytesPerResponse: number;
  /** Distinct feed documents readers poll. */
  documents: number;
  /** CloudFront regional edge caches that may each fetch from S3 (13 today). */
  cacheTiers: number;
  /** Seconds CloudFront keeps a feed before revalidating (cachePolicy.ts EDGE_FRESH_SECONDS). */
  edgeSeconds: number;
}

/** Reader traffic at the stated load: the same for any publisher, priced beside what changes cost. */
export function readerTrafficLines(t: ReaderTraffic): CostLine[] {
  const requests = t.requestsPerDay * DAYS_PER_MONTH;
  const gb = (requests * t.bytesPerResponse) / 1e9;
  // At most one revalidation per document, cache and lifetime; never more than the requests themselves.
  const originPerDay = Math.min(t.requestsPerDay, t.documents * t.cacheTiers * (86_400 / t.edgeSeconds));
  const origin = originPerDay * DAYS_PER_MONTH;
  const p = PRICES;
  return [
    { item: 'reader traffic: CloudFront HTTPS requests', monthlyQuantity: requests, unit: 'requests', unitPrice: `$${p.cloudfront.perTenThousandHttpsRequests}/10k`, monthlyUsd: usd((requests / 1e4) * p.cloudfront.perTenThousandHttpsRequests) },
    { item: `reader traffic: CloudFront transfer out (${Math.round(t.bytesPerResponse / 1024)} KiB a response)`, monthlyQuantity: round(gb, 1), unit: 'GB', unitPrice: `$${p.cloudfront.perGbTransferOut}/GB`, monthlyUsd: usd(gb * p.cloudfront.perGbTransferOut) },
    { item: `reader traffic: S3 GETs by CloudFront revalidating (worst case, ${t.edgeSeconds} s lifetime; 304 when unchanged)`, monthlyQuantity: origin, unit: 'GET', unitPrice: `$${p.s3.perThousandGet}/1000`, monthlyUsd: usd((origin / 1000) * p.s3.perThousandGet) },
  ];
}

/** Lambda bills duration per invocation rounded up to the millisecond. */
export const billedMs = (ms: number) => Math.ceil(ms);

/** One row of the automatic-feeds lever: what changes cost with this many tag and author feeds per change. */
export interface AutomaticFeedsRow {
  automaticFeeds: number;
  totalUsd: number;
}

/**
 * The configuration's lever, priced (automaticFeeds: maxPerArticle, exclude, enabled): what changes
 * cost with 0 to `max` automatic tag and author feeds per change, from the same measured usage model.
 */
export function automaticFeedsLever(costAt: (automaticFeeds: number) => number, max: number): AutomaticFeedsRow[] {
  return Array.from({ length: Math.max(0, Math.round(max)) + 1 }, (_, automaticFeeds) => ({ automaticFeeds, totalUsd: costAt(automaticFeeds) }));
}

/** Whether a row's cost stays within the budget (the target's own test: at most). */
export const withinBudget = (row: AutomaticFeedsRow, budgetUsd: number) => row.totalUsd <= budgetUsd;

/** The most automatic feeds per change whose cost stays within the budget; undefined when not even none does. */
export function mostFeedsWithin(rows: readonly AutomaticFeedsRow[], budgetUsd: number): number | undefined {
  const within = rows.filter((r) => withinBudget(r, budgetUsd)).map((r) => r.automaticFeeds);
  return within.length ? Math.max(...within) : undefined;
}
