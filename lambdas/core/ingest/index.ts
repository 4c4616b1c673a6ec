export { ingestArticles, retractArticle, type IngestDeps, type IngestResult } from './ingestArticles.js';
