import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachedMethods,
  CachePolicy,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CacheQueryStringBehavior,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  Function as CloudFrontFunction,
  ViewerProtocolPolicy,
  type BehaviorOptions,
  type IFunction,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { FEED_XSLT } from '../../lambdas/core/render/xslt.js';
import type { DeployConfig } from '../config/deployConfig.js';
import { PAGE_SCRIPT } from '../../lambdas/core/render/html.js';

export interface FeedDistributionProps {
  /** Seconds CloudFront keeps a feed that carries no Cache-Control of its own (the objects carry s-maxage, see cachePolicy.ts). */
  defaultTtlSeconds: number;
  /** Longest Cache-Control max-age CloudFront honours for archive pages (full pages say a day). */
  archiveMaxTtlSeconds: number;
  logRetentionDays: number;
  customDomain?: DeployConfig['customDomain'];
  webAclArn?: string;
  /** Viewer-request function guarding `/partners/*` (see PartnerAccess). */
  partnerAuth: IFunction;
  /** Seconds CloudFront keeps a partner document (they say `private` to every cache after it). */
  partnerTtlSeconds: number;
}

/** The directory-index edge function's source, deployed as-is (the tests run the same file). */
export const DIRECTORY_INDEX_SOURCE = new URL('../../lambdas/edge/directoryIndex.js', import.meta.url);

/** Path patterns of the additional behaviours, in precedence order (CloudFront takes the first that matches). */
export const PATHS = {
  jsonFeed: '/feeds/*/feed.json',
  partners: '/partners/*',
  archive: '/feeds/*/archive/*',
  /** The Google News sitemap (application/xml) and robots.txt (text/plain): data, nothing to load or frame. */
  sitemaps: '/sitemaps/*',
  robots: '/robots.txt',
  htmlPages: '*.html',
  /** Any URI ending in `/` (`/feeds/`, `/feeds/international/`): the directory index, an HTML page. */
  directories: '*/',
} as const;

/** Data documents (JSON Feed, partner documents): nothing to load, nothing to frame. */
export const DATA_CSP = "default-src 'none'; frame-ancestors 'none'";

/** The CSP hash source of an inline script. */
const scriptHash = (source: string) => `'sha256-${createHash('sha256').update(source).digest('base64')}'`;

/**
 * The human pages (section pages, tag pages, the feed index): one inline <style>, one inline
 * script (the copy buttons, allowed by its hash, computed at synth from the same source the pages
 * embed), article images from any https host (and data: URIs), no frames, no base or form targets.
 */
export const HTML_CSP = `default-src 'none'; script-src ${scriptHash(PAGE_SCRIPT)}; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

/** CSP hash sources of the inline <style> blocks of a document (empty: 'none'). */
export function styleHashSources(document: string): string {
  const hashes = [...document.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
  return hashes.length > 0 ? hashes.join(' ') : "'none'";
}

/**
 * RSS/Atom feeds (and archive pages) carry `<?xml-stylesheet href="{base}/feeds/feed.xsl"?>`.
 * Measured in Chromium 156 (the XSLT applies only when a feed is served as application/xml or
 * text/xml; as application/rss+xml or atom+xml Chromium shows source text and fetches nothing):
 * - the stylesheet fetch is checked as a *script* load ("Loading the script … violates
 *   default-src"): it needs script-src (or script-src-elem) 'self'; style-src 'self' does not help;
 * - the transformed page keeps the feed's CSP, so the stylesheet's inline <style> needs
 *   style-src 'unsafe-inline' or its hash.
 * Least privilege that works: script-src-elem 'self' (same-origin script *elements* and XSLT; no
 * inline script, no event handlers; this origin serves no JavaScript at all) and the sha256 of the
 * XSLT's own <style> block, computed at synth from the same lambdas/core/render/xslt.ts the
 * regeneration function publishes, so the two cannot drift apart.
 */
export const XML_FEED_CSP = `default-src 'none'; script-src-elem 'self'; style-src ${styleHashSources(FEED_XSLT)}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

/** Security headers on every response, with the CSP of the kind of document. */
function securityHeaders(contentSecurityPolicy: string) {
  return {
    strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
    contentTypeOptions: { override: true },
    frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
    referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
    contentSecurityPolicy: { contentSecurityPolicy, override: true },
  };
}

/**
 * The feeds' home: a private, versioned bucket (a bad publish is rolled back by restoring the
 * previous object version) that only CloudFront can read, through Origin Access Control.
 */
export class FeedDistribution extends Construct {
  readonly bucket: Bucket;
  readonly logsBucket: Bucket;
  readonly distribution: Distribution;
  /** Viewer-request function: `…/` → `…/index.html`, extension-less paths → 301 to `…/`. */
  readonly directoryIndex: CloudFrontFunction;
  /** `https://` origin partners use: the custom domain if configured, else the CloudFront domain. */
  readonly baseUrl: string;

  constructor(scope: Construct, id: string, props: FeedDistributionProps) {
    super(scope, id);

    // Access logs of the bucket and of CloudFront. CloudFront's standard logging writes with ACLs,
    // hence object-writer ownership; public access stays blocked.
    this.logsBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging it into itself would loop, and a second log bucket adds nothing.',
    });

    this.bucket = new Bucket(this, 'Feeds', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'feed-bucket/',
      // Old versions are the rollback path; keep them a while, not forever.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
      // Partners hard-code the feed URLs: a teardown must not lose what they point at.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const cachePolicy = new CachePolicy(this, 'FeedCachePolicy', {
      comment: 'Feeds: the objects s-maxage decides (min TTL 0, a few seconds), revalidated by ETag; only the path in the cache key',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(props.defaultTtlSeconds),
      maxTtl: Duration.days(1),
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // Full archive pages say max-age=86400 and never grow; honour that (and the short max-age of the
    // newest page) with a policy of its own, so the feeds' policy can change without touching archives.
    const archiveCachePolicy = new CachePolicy(this, 'ArchiveCachePolicy', {
      comment: 'Archive pages: honour the objects Cache-Control up to a day, feed max-age when absent, nothing in the cache key but the path',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(props.defaultTtlSeconds),
      maxTtl: Duration.seconds(Math.max(props.archiveMaxTtlSeconds, props.defaultTtlSeconds)),
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // The id 'SecurityHeaders' is kept (now the XML feeds' policy) so the deployed policy is updated, not replaced.
    const feedHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'RSS/Atom feeds: security headers; CSP lets the same-origin XSLT view apply',
      securityHeadersBehavior: securityHeaders(XML_FEED_CSP),
    });
    const dataHeaders = new ResponseHeadersPolicy(this, 'DataHeaders', {
      comment: 'Partner documents, news sitemap, robots.txt: security headers, nothing may load',
      securityHeadersBehavior: securityHeaders(DATA_CSP),
    });
    const htmlHeaders = new ResponseHeadersPolicy(this, 'HtmlHeaders', {
      comment: 'HTML pages: security headers; CSP allows the inline style and https images',
      securityHeadersBehavior: securityHeaders(HTML_CSP),
    });
    // JSON Feed is read by browser apps on other origins; XML feeds go to feed readers and need no CORS.
    const jsonFeedHeaders = new ResponseHeadersPolicy(this, 'JsonFeedHeaders', {
      comment: 'JSON Feed: security headers and CORS for any origin (GET/HEAD)',
      securityHeadersBehavior: securityHeaders(DATA_CSP),
      corsBehavior: {
        accessControlAllowOrigins: ['*'],
        accessControlAllowMethods: ['GET', 'HEAD'],
        accessControlAllowHeaders: ['*'],
        accessControlExposeHeaders: ['ETag', 'Last-Modified', 'Content-Type'],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.days(1),
        originOverride: true,
      },
    });

    const origin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    this.directoryIndex = new CloudFrontFunction(this, 'DirectoryIndex', {
      comment: 'Directory index: /feeds/x/ serves /feeds/x/index.html; /feeds/x redirects to /feeds/x/',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(readFileSync(DIRECTORY_INDEX_SOURCE, 'utf8')),
    });
    const directoryIndex = [{ function: this.directoryIndex, eventType: FunctionEventType.VIEWER_REQUEST }];
    const behavior = (responseHeadersPolicy: ResponseHeadersPolicy): BehaviorOptions => ({
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: CachedMethods.CACHE_GET_HEAD,
      compress: true,
      cachePolicy,
      responseHeadersPolicy,
    });
    // Partner documents: the key is checked by the viewer-request function before the cache, so
    // CloudFront may cache them (min TTL overrides their `private`); the key never enters the cache key.
    const partnerCachePolicy = new CachePolicy(this, 'PartnerCachePolicy', {
      comment: 'Partner feeds: cached for the feed max-age despite Cache-Control private; nothing in the cache key but the path',
      minTtl: Duration.seconds(props.partnerTtlSeconds),
      defaultTtl: Duration.seconds(props.partnerTtlSeconds),
      maxTtl: Duration.seconds(props.partnerTtlSeconds),
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const partnerBehavior: BehaviorOptions = {
      ...behavior(dataHeaders),
      cachePolicy: partnerCachePolicy,
      functionAssociations: [{ function: props.partnerAuth, eventType: FunctionEventType.VIEWER_REQUEST }],
    };
    const domain = props.customDomain;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Section feeds (RSS, Atom, JSON Feed)',
      // CloudFront picks the behaviour from the URI the viewer sent, before any function runs: a
      // directory URI gets the HTML headers through its own `*/` behaviour, not through the rewrite.
      // The default behaviour (feeds, feed.xsl, index.opml) runs the function too, for the redirect.
      defaultBehavior: { ...behavior(feedHeaders), functionAssociations: directoryIndex },
      additionalBehaviors: {
        [PATHS.jsonFeed]: behavior(jsonFeedHeaders),
        [PATHS.partners]: partnerBehavior,
        [PATHS.archive]: { ...behavior(feedHeaders), cachePolicy: archiveCachePolicy },
        // The sitemap changes with the articles (its s-maxage decides, like a feed's); the URI guard runs on the folder.
        [PATHS.sitemaps]: { ...behavior(dataHeaders), functionAssociations: directoryIndex },
        [PATHS.robots]: behavior(dataHeaders),
        [PATHS.htmlPages]: behavior(htmlHeaders),
        [PATHS.directories]: { ...behavior(htmlHeaders), functionAssociations: directoryIndex },
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.webAclArn && { webAclId: props.webAclArn }),
      ...(domain && {
        domainNames: domain.domainNames,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
        minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      }),
    });
    this.baseUrl = `https://${domain?.domainNames[0] ?? this.distribution.distributionDomainName}`;

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Public syndication feeds are meant for readers and partners worldwide; there is no region to exclude.',
    });
    if (!props.webAclArn) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'Read-only, cached, public feed files behind GET/HEAD only; a WAF adds cost without a threat to block. Set deploy.webAclArn to attach one.',
      });
    }
    if (!domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose TLS policy cannot be set; with deploy.customDomain the stack enforces TLSv1.2_2021.',
      });
    }
  }
}
