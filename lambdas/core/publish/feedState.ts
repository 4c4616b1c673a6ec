/** Path -> content hash of every document a feed (or the site) last published. */
export type Manifest = Readonly<Record<string, string>>;

/** What the state item of a feed says. */
export interface FeedState {
  /** Bumped once per regeneration request (a stream batch touching the feed). */
  requested: number;
  /** The highest request whose changes are known to be in the published feeds. */
  published: number;
  leaseOwner?: string;
  leaseUntil?: number;
  /** Archive slots handed out so far (the next slot's number). */
  archiveNext: number;
  /** Archive pages changed since they were last published. */
  dirtyPages: number[];
  /** What the last marked-published render wrote: the documents' hashes. */
  manifest: Manifest;
  /**
   * Time of the newest change that touched the feed (the change's own time: the version's
   * updatedAt, a retraction's time): the floor of the feed's updated time, so it never goes back.
   */
  newestChangeMs?: number;
  /**
   * Fingerprint of the registry entry (RegisteredFeed) the last marked-published render recorded,
   * written by the same markPublished: a render whose entry has this fingerprint writes no registry item.
   */
  listed?: string;
}

/** One published feed, as the index page and OPML list it (kept in the feed registry). */
export interface RegisteredFeed {
  /** `tag/russia`. */
  key: string;
  kind: 'section' | 'tag' | 'author';
  slug: string;
  title: string;
  description: string;
  basePath: string;
  /** Items in its subscription feeds when last published (at most itemsPerFeed). */
  items: number;
}

/** What the site-wide documents were last published from, and their hashes. */
export interface SiteState {
  /** Hash of the inputs (the list of feeds); equal inputs render equal documents. */
  signature?: string;
  /** Hash of the inputs but the registry (configuration, base URL, kinds of document). */
  configSignature?: string;
  manifest: Manifest;
  /** Bumped by recordFeed after each registry write: the registry's version. */
  listingVersion: number;
  /** The listingVersion read before the registry Query the documents were last published from. */
  renderedListing?: number;
}

/**
 * Publishing one feed at a time: a request counter, a published counter, a lease and the manifest,
 * all on one item per feed (keyed by FeedTarget.key), changed only by conditional writes.
 */
export interface FeedStateStore {
  read(feedKey: string): Promise<FeedState>;
  /**
   * Records that the feed has (possibly) changed, and which archive pages; returns the request
   * number to wait for. `changedAtMs` raises the feed's newestChangeMs (never lowers it) first.
   */
  request(feedKey: string, dirtyPages?: readonly number[], changedAtMs?: number): Promise<number>;
  /**
   * request + acquire in one conditional write, when the lease is free or expired: counts the
   * request and takes the lease; returns the state as of taking it (its `requested` is the request
   * number to wait for). Undefined when the lease is held: nothing was written, call request().
   */
  requestAndAcquire(feedKey: string, owner: string, now: number, ttlMs: number, dirtyPages?: readonly number[], changedAtMs?: number): Promise<FeedState | undefined>;
  /** Takes the lease if it is free or expired; returns the state as of taking it, or undefined. */
  acquire(feedKey: string, owner: string, now: number, ttlMs: number): Promise<FeedState | undefined>;
  /**
   * Marks `request` as published with the manifest of what this render wrote (and the fingerprint
   * of the registry entry it recorded, if given) and releases the lease, in one conditional write:
   * only if no newer request arrived and the lease is still ours. False: nothing written, the
   * lease still ours (if it was): render again.
   */
  markPublished(feedKey: string, owner: string, request: number, renderedPages: readonly number[], manifest: Manifest, listed?: string): Promise<boolean>;
  release(feedKey: string, owner: string): Promise<void>;
  /**
   * Records a published feed in the registry (replacing what it said before), then bumps the site
   * state's listingVersion, in that order: a reader of listingVersion V that then Queries the
   * registry sees every entry whose bump made V.
   */
  recordFeed(feed: RegisteredFeed): Promise<void>;
  /** Every feed ever published, in key order (one Query). */
  listFeeds(): Promise<RegisteredFeed[]>;
  readSite(): Promise<SiteState>;
  /** Records the site documents' state (not listingVersion), only if it is still `previous` (else another run did it). */
  writeSite(previous: SiteState, next: SiteState): Promise<boolean>;
}
