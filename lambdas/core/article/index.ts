export { InvalidArticleError } from './errors.js';
export { contentHash } from './contentHash.js';
export { ARTICLE_ID, ArticleValidator, imageTypeFromUrl, MAX_CONTENT_BYTES, type ArticleParseResult } from './schema.js';
export { sanitizeArticleHtml } from './sanitize.js';
export { articleLanguage, canonicalLanguageTag, languageTagSchema } from './language.js';
export { escapeHtml, stripXmlInvalid } from './text.js';
export type { Article, ArticleAuthor, ArticleCorrection, ArticleImage, ArticleStatus, FieldError, StoreOutcome } from './types.js';
export { correctedAt, modifiedAt } from './corrections.js';
export { decideVersion, type VersionDecision, type VersionStamp } from './version.js';
