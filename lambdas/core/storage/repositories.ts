import type { Article, StoreOutcome } from '../article/types.js';

/** Key of one feed entry (a section's, a tag's) of a published article. */
export interface EntryKey {
  pk: string;
  sk: string;
}

/** The article as stored. */
export interface StoredArticle {
  article: Article;
  updatedAtMs: number;
  contentHash: string;
  /** Keys of the article's feed entries (its section, its configured tags) while it is published. */
  entries: EntryKey[];
}

export type RetractOutcome = 'retracted' | 'unchanged' | 'not-found';

/** A stored article and the membership rules its entries were written by (their signature). */
export interface IndexedArticle extends StoredArticle {
  indexedWith?: string;
}

/** 'changed': a newer version was written meanwhile (its own write set its entries). */
export type ReindexOutcome = 'reindexed' | 'changed';

/** What the backfill needs: every stored article, and a rewrite of one's entries by the current rules. */
export interface ArticleIndex {
  /** Signature of the current membership rules. */
  readonly membershipSignature: string;
  scanArticles(): AsyncIterable<IndexedArticle[]>;
  /** Rewrites the entries of exactly this stored version (same article, same version). */
  reindex(stored: IndexedArticle): Promise<ReindexOutcome>;
}

/** The newest entries of one feed, and those whose stored document could not be read. */
export interface FeedEntries {
  articles: Article[];
  unreadable: { id: string; reason: string }[];
  /** Every entry read, readable or not, as entryVersion, in read order: what a later look compares with. */
  versions: string[];
}

/** Where articles live: versioned writes, and each feed's newest-first entries. */
export interface ArticleRepository {
  get(id: string): Promise<StoredArticle | undefined>;
  /** Stores one version under the version rules (older ignored, identical a no-op, same time different body a conflict). */
  put(article: Article): Promise<StoreOutcome>;
  /** Retracts the current version: same article, `status: retracted`, `updatedAt` moved forward. */
  retract(id: string, now?: Date): Promise<RetractOutcome>;
  /**
   * The newest `limit` published entries of a feed partition visible at `asOf` (publication time at
   * or before it: a scheduled article is not there yet), newest first, in one consistent read.
   * Publishing passes its clock's now; left out, the adapter reads its own system time.
   */
  readEntries(partition: string, limit: number, asOf?: Date): Promise<FeedEntries>;
  /** The same read without the documents: each entry's entryVersion (a cheap look for changes since a readEntries). */
  readEntryVersions(partition: string, limit: number, asOf?: Date): Promise<string[]>;
}

/** The archive projection of sections (RFC 5005 pages): every article published there, each in a fixed slot. */
export interface ArchiveStore {
  readonly pageSize: number;
  /**
   * Brings the slots of some articles in line with their current state in a section as of `asOf`
   * (a scheduled article gets no slot before its publication instant); returns the pages whose
   * content changed, sorted. The outcome is that of reconciling them one after another in the order
   * given: entering articles take slots in that order. Slots are counted on the feed's state (`feedKey`).
   */
  reconcile(sectionSlug: string, feedKey: string, articleIds: readonly string[], asOf: Date): Promise<number[]>;
  /** The articles of one page. */
  readPage(sectionSlug: string, page: number): Promise<Article[]>;
}

/** A document to write: the bytes, their type and cache policy. */
export interface StoredDocument {
  path: string;
  contentType: string;
  body: string;
  cacheControl: string;
}

/** Where published documents live (S3 behind the CDN). Writes replace atomically: a reader sees old or new bytes, never a part. */
export interface DocumentStore {
  put(doc: StoredDocument): Promise<void>;
  /** Idempotent: removing a missing document is fine. */
  remove(path: string): Promise<void>;
}
