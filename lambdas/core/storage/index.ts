export { ArticleStore, fromArticleItem, type RetractOutcome, type StoredArticle } from './articleStore.js';
export { WriteContentionError } from './errors.js';
export { ARTICLE_PK_PREFIX, articleKey, ENTITY_ARTICLE, ENTITY_ENTRY, entrySortKey, KEY, sectionPk, sectionStateKey, STATE_PK_PREFIX } from './keys.js';
export { createArticleTable } from './table.js';
