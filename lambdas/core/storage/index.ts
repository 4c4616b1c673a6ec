export { WriteContentionError } from './errors.js';
export {
  ARCHIVE_PK_PREFIX,
  archiveIndexKey,
  archivePk,
  archiveSortKey,
  ARTICLE_PK_PREFIX,
  ARTICLE_SK,
  articleKey,
  authorPk,
  ENTITY_ARTICLE,
  ENTITY_ENTRY,
  entrySortKey,
  FEED_REGISTRY_PK,
  entrySortKeyBound,
  entryVersion,
  feedStateKey,
  KEY,
  sectionPk,
  SITE_STATE_KEY,
  STATE_PK_PREFIX,
  tagPk,
} from './keys.js';
export type { ArchiveStore, ArticleIndex, ArticleRepository, IndexedArticle, ReindexOutcome, DocumentStore, EntryKey, FeedEntries, RetractOutcome, StoredArticle, StoredDocument } from './repositories.js';
