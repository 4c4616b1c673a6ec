export { ingestArticles, retractArticle, type IngestDeps, type IngestResult } from './ingestArticles.js';
export { backfillFeeds, type BackfillReport } from './backfillFeeds.js';
