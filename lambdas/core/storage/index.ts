export { ArticleStore, fromArticleItem, type ArticleStoreOptions, type EntryKey, type RetractOutcome, type StoredArticle } from './articleStore.js';
export { WriteContentionError } from './errors.js';
export { ARTICLE_PK_PREFIX, articleKey, ENTITY_ARTICLE, ENTITY_ENTRY, entrySortKey, KEY, sectionPk, sectionStateKey, STATE_PK_PREFIX, tagPk, ARCHIVE_PK_PREFIX, archivePk, archiveIndexKey, archiveSortKey } from './keys.js';
export { createArticleTable } from './table.js';
export { ArchiveStore } from './archiveStore.js';
