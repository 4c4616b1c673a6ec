export type ArticleStatus = 'published' | 'retracted';

export interface ArticleAuthor {
  name: string;
  url?: string;
}

export interface ArticleImage {
  url: string;
  alt: string;
  caption?: string;
  /** Credit line (plain text); when absent, renderers fall back to the site-wide `imageDefaults.credit`. */
  credit?: string;
  /** Rights / usage statement (plain text); falls back to `imageDefaults.rights`. */
  rights?: string;
  width?: number;
  height?: number;
  /** Size in bytes, when the record gives it (RSS enclosure length, Media RSS fileSize). */
  length?: number;
  /** MIME type; derived from the URL's extension when the record leaves it out. */
  type: string;
}

/** A correction readers see with the story: when it was made, and what was corrected (plain text). */
export interface ArticleCorrection {
  /** ISO 8601 date-time with an offset, as the record gave it; not before `publishedAt`. */
  at: string;
  text: string;
}

/** A validated, normalized article: what storage keeps and rendering reads. */
export interface Article {
  id: string;
  title: string;
  summary: string;
  /** Sanitized at ingest. */
  contentHtml: string;
  url: string;
  /** The configured section name, e.g. `International`. */
  section: string;
  sectionSlug: string;
  authors: ArticleAuthor[];
  tags: string[];
  image?: ArticleImage;
  /** BCP 47 tag, canonical form (`en-GB`), when the record gives one; otherwise the section's language applies (see articleLanguage). */
  language?: string;
  publishedAt: string;
  updatedAt: string;
  /** Oldest first; absent when the record has none (an empty list is normalized away). */
  corrections?: ArticleCorrection[];
  status: ArticleStatus;
}

export interface FieldError {
  /** Path of the offending field, e.g. `authors[0].name`; `(record)` for the record as a whole. */
  field: string;
  message: string;
}

/** Outcome of storing one version of an article, per the version rules of PRODUCT.md. */
export type StoreOutcome = 'stored' | 'unchanged' | 'ignored-older' | 'conflict';
