export { WriteContentionError } from './errors.js';
export {
  ARCHIVE_PK_PREFIX,
  archiveIndexKey,
  archivePk,
  archiveSortKey,
  ARTICLE_PK_PREFIX,
  articleKey,
  ENTITY_ARTICLE,
  ENTITY_ENTRY,
  entrySortKey,
  entrySortKeyBound,
  feedStateKey,
  KEY,
  sectionPk,
  SITE_STATE_KEY,
  STATE_PK_PREFIX,
  tagPk,
} from './keys.js';
export type { ArchiveOutcome, ArchiveStore, ArticleRepository, DocumentStore, EntryKey, FeedEntries, RetractOutcome, StoredArticle, StoredDocument } from './repositories.js';
