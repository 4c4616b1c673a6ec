/**
 * Cache-Control of every kind of document this publisher writes: the one place that decides how
 * long readers, partners and CloudFront keep a document (lib/constructs/feedDistribution.ts sets
 * the CloudFront cache policies from the same constants).
 *
 * Freshness at the edge without a paid invalidation per change: documents that change with the
 * articles say `s-maxage=EDGE_FRESH_SECONDS, stale-while-revalidate=EDGE_STALE_SECONDS`, which
 * CloudFront honours (its cache policies have min TTL 0, so the object's s-maxage decides; see
 * docs/DEPLOY.md "Freshness at the edge"). After those seconds CloudFront revalidates with
 * If-None-Match against S3's ETag: unchanged bytes cost a 304, no transfer. Browsers and feed
 * readers keep `max-age` (the configured feedMaxAgeSeconds). Only documents that never change
 * (full archive pages, the stylesheet) get long lifetimes.
 */

/** Seconds CloudFront serves a changing document without asking S3 again. */
export const EDGE_FRESH_SECONDS = 3;
/** Seconds after that in which CloudFront may still answer with the old copy while it revalidates. */
export const EDGE_STALE_SECONDS = 2;
/**
 * CloudFront caches in two tiers (edge location, then regional edge cache); if each tier counted
 * its lifetime from its own fetch, a reader could see a copy up to this old. What docs/DEPLOY.md
 * states as the worst case at the default setting.
 */
export const EDGE_WORST_CASE_STALENESS_SECONDS = 2 * (EDGE_FRESH_SECONDS + EDGE_STALE_SECONDS);
/** Readers keep documents that (almost) never change a day. */
export const IMMUTABLE_MAX_AGE_SECONDS = 86_400;
/**
 * CloudFront revalidates those every 5 minutes (a 304 while unchanged): an edit or retraction of an
 * archived article, or a deploy's new stylesheet, still reaches the edge within minutes, not a day.
 */
export const IMMUTABLE_EDGE_SECONDS = 300;
/** Seconds a stale copy may be served when S3 answers with an error. */
const STALE_IF_ERROR_SECONDS = 86_400;

export type DocumentClass =
  /** rss.xml, atom.xml, feed.json of a section, tag or author. */
  | 'subscriptionFeed'
  /** A feed's readable index.html page, and the newest (still growing) archive page. */
  | 'feedPage'
  /** An RFC 5005 archive page that is full: it no longer grows. */
  | 'fullArchivePage'
  /** The XSLT stylesheet (changes only with a deploy of new code). */
  | 'stylesheet'
  /** Anything under partners/: CloudFront may keep it (its partner policy), no other shared cache. */
  | 'partnerDocument'
  /** Site-wide documents: the feed index page, OPML, sitemap, robots.txt. */
  | 'siteDocument';

export interface CachePolicyConfig {
  /** Seconds a browser or feed reader may reuse a feed before revalidating (publisher config `feedMaxAgeSeconds`). */
  feedMaxAgeSeconds: number;
}

/** The Cache-Control header for a document of the given class. */
export function cacheControlFor(kind: DocumentClass, config: CachePolicyConfig): string {
  const readers = config.feedMaxAgeSeconds;
  switch (kind) {
    case 'subscriptionFeed':
    case 'feedPage':
    case 'siteDocument':
      return `public, max-age=${readers}, s-maxage=${EDGE_FRESH_SECONDS}, stale-while-revalidate=${EDGE_STALE_SECONDS}, stale-if-error=${STALE_IF_ERROR_SECONDS}`;
    case 'fullArchivePage':
      return `public, max-age=${IMMUTABLE_MAX_AGE_SECONDS}, s-maxage=${IMMUTABLE_EDGE_SECONDS}, stale-while-revalidate=60, stale-if-error=${7 * STALE_IF_ERROR_SECONDS}`;
    case 'stylesheet':
      return `public, max-age=${IMMUTABLE_MAX_AGE_SECONDS}, s-maxage=${IMMUTABLE_EDGE_SECONDS}, stale-while-revalidate=60`;
    case 'partnerDocument':
      return `private, max-age=${readers}`;
  }
}
