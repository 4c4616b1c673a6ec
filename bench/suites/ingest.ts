/**
 * 6. Ingest throughput: a bulk ingest of 10,000 records through the ingest core (validate,
 * sanitize, read the stored version, one conditional transaction per record), in requests of 500
 * like the ingest Lambda receives them, against raw BatchWriteItem of the very same items.
 */
import { ArticleValidator } from '../../lambdas/core/article/index.js';
import { ingestArticles, type IngestDeps } from '../../lambdas/core/ingest/index.js';
import { createArticleTable } from '../../lambdas/adapters/aws/articleTable.js';
import { DynamoArticleRepository } from '../../lambdas/adapters/aws/dynamoArticleRepository.js';
import { membershipRules } from '../../lambdas/core/feeds/index.js';
import { MAX_RECORDS_PER_REQUEST } from '../../lambdas/core/contracts/index.js';
import { benchConfig, benchRecord, toArticles } from '../lib/fixtures.js';
import { instrumentDynamo } from '../lib/instrument.js';
import type { LocalServers } from '../lib/localStack.js';
import { metric, type SuiteResult } from '../lib/result.js';
import { seedArticles } from '../lib/seed.js';
import { round, roundSummary, summarize } from '../lib/stats.js';
import { progress } from '../lib/progress.js';

export interface IngestFigures {
  /** Median duration of a one-record ingest (what a single editor's POST costs the Lambda), ms. */
  singleRecordMsP50: number;
  /** Per record in a bulk request, ms. */
  bulkMsPerRecord: number;
  /** DynamoDB units per stored record (GetItem + TransactWriteItems). */
  readUnitsPerRecord: number;
  writeUnitsPerRecord: number;
}

/**
 * The ingest core and the raw baseline each run on their own fresh servers (`withServers` starts
 * and stops them), so neither pays for the other's data in DynamoDB Local.
 */
export async function ingestSuite(
  withServers: <T>(fn: (servers: LocalServers) => Promise<T>) => Promise<T>,
  options: { quick: boolean },
): Promise<SuiteResult & { figures: IngestFigures }> {
  const started = performance.now();
  const count = options.quick ? 100 : 10_000;
  const singles = options.quick ? 10 : 50;
  const config = benchConfig(50);
  const records = Array.from({ length: count }, (_, i) => benchRecord({ n: i + 1, prefix: 'ingest' }));
  const validator = new ArticleValidator(config);
  // As the deployed ingest stores them: every feed the configuration gives an article (tag and author feeds included).
  const storeOptions = { membership: membershipRules(config) };

  // Validation alone (sanitize-html included): the CPU part of ingest.
  const validated = records.slice(0, Math.min(count, 2_000));
  const v0 = performance.now();
  for (const r of validated) if (!validator.parse(r).ok) throw new Error('bench record invalid');
  const validateMs = performance.now() - v0;
  progress(`ingest: validated ${validated.length} records in ${(validateMs / 1000).toFixed(1)} s`);

  // Baseline: the same items (as ArticleStore writes them) by raw BatchWriteItem, 8 requests in flight.
  const articles = toArticles(config, records);
  const raw = await withServers(async (servers) => {
    const clients = servers.clients();
    const rawTable = servers.uniqueName('raw');
    await createArticleTable(clients.dynamo, rawTable);
    return seedArticles(clients.dynamo, rawTable, articles, { store: storeOptions });
  });
  progress(`ingest: raw BatchWriteItem of the same items in ${(raw.ms / 1000).toFixed(1)} s`);

  const measured = await withServers(async (servers) => {
    const clients = servers.clients();
    const counters = instrumentDynamo(clients.dynamo);
    // The ingest core, in requests of MAX_RECORDS_PER_REQUEST, one after the other.
    const ingestTable = servers.uniqueName('ingest');
    await createArticleTable(clients.dynamo, ingestTable);
    const deps: IngestDeps = { validator, store: new DynamoArticleRepository(clients.dynamo, ingestTable, storeOptions) };
    counters.reset();
    const i0 = performance.now();
    let stored = 0;
    for (let i = 0; i < records.length; i += MAX_RECORDS_PER_REQUEST) {
      const results = await ingestArticles(records.slice(i, i + MAX_RECORDS_PER_REQUEST), deps);
      stored += results.filter((r) => r.status === 'stored').length;
    }
    const ingestMs = performance.now() - i0;
    const ingestCalls = counters.snapshot();
    if (stored !== count) throw new Error(`ingest stored ${stored} of ${count}`);
    progress(`ingest: ${count} records through the ingest core in ${(ingestMs / 1000).toFixed(1)} s`);

    // Latency of a one-record request (an editor's single POST): sequential, fresh articles.
    const singleMs: number[] = [];
    counters.reset();
    for (let i = 0; i < singles; i++) {
      const record = benchRecord({ n: count + 1 + i, prefix: 'ingest' });
      const t = performance.now();
      const [result] = await ingestArticles([record], deps);
      singleMs.push(performance.now() - t);
      if (result?.status !== 'stored') throw new Error(`single ingest: ${JSON.stringify(result)}`);
    }
    return { ingestMs, ingestCalls, singleMs, singleCalls: counters.snapshot() };
  });
  const { ingestMs, ingestCalls, singleMs, singleCalls } = measured;

  const ingestRate = count / (ingestMs / 1000);
  const rawRate = count / (raw.ms / 1000);
  const single = summarize(singleMs);
  const figures: IngestFigures = {
    singleRecordMsP50: single.p50,
    bulkMsPerRecord: ingestMs / count,
    readUnitsPerRecord: singleCalls.readUnits / singles,
    writeUnitsPerRecord: singleCalls.writeUnits / singles,
  };
  const metrics = [
    metric('ingest.rate', `bulk ingest of ${count.toLocaleString('en')} records (ingest core, requests of ${MAX_RECORDS_PER_REQUEST})`, round(ingestRate), 'records/s'),
    metric('ingest.raw.rate', `raw BatchWriteItem of the same items (25 per request, 8 in flight)`, round(rawRate), 'articles/s'),
    metric('ingest.ratio', 'ingest / raw BatchWriteItem throughput', round(ingestRate / rawRate), '×'),
    metric('ingest.validate.rate', `validation + sanitizing alone (no storage; ${validated.length.toLocaleString('en')} records)`, round(validated.length / (validateMs / 1000)), 'records/s'),
    metric('ingest.single.p50', `one-record request, p50 (p95 ${round(single.p95)} ms)`, round(single.p50), 'ms'),
  ];
  return {
    id: 'ingest',
    title: '6. Ingest throughput',
    seconds: (performance.now() - started) / 1000,
    metrics,
    figures,
    details: {
      records: count,
      requestSize: MAX_RECORDS_PER_REQUEST,
      ingestSeconds: round(ingestMs / 1000),
      rawSeconds: round(raw.ms / 1000),
      rawItems: raw.items,
      rawRequests: raw.requests,
      rawUnprocessedRetries: raw.unprocessedRetries,
      validateSeconds: round(validateMs / 1000),
      ingestCalls,
      singleRecord: { ...roundSummary(single), calls: singleCalls },
      figures: Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, round(v)])),
    },
    notes: [
      `Records are synthetic (~3.4 KB lorem-style HTML bodies, an image, tags, 1–2 authors), spread over three sections, all new ids; DynamoDB Local with the table's stream on, as deployed.`,
      'Ingest per record: zod validation + sanitize-html, a strongly consistent GetItem of the stored version, and a conditional TransactWriteItems (the article item and its entry in each of its feeds: section, tags, authors), 8 records in flight per request (ingestArticles CONCURRENCY).',
      'The baseline writes the same two items per article with unconditional BatchWriteItem (no validation, no read, no transaction), 8 requests of 25 items in flight; the items are ArticleStore\'s own (captured from ArticleStore.put, see bench/lib/seed.ts); item preparation is not timed. The two runs use separate, fresh DynamoDB Local instances.',
    ],
  };
}
