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
  FunctionEventType,
  ViewerProtocolPolicy,
  type BehaviorOptions,
  type IFunction,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { DeployConfig } from '../config/deployConfig.js';

export interface FeedDistributionProps {
  /** Seconds CloudFront keeps a feed that carries no Cache-Control of its own (the objects normally do). */
  defaultTtlSeconds: number;
  logRetentionDays: number;
  customDomain?: DeployConfig['customDomain'];
  webAclArn?: string;
  /** Viewer-request function guarding `/partners/*` (see PartnerAccess). */
  partnerAuth: IFunction;
  /** Seconds CloudFront keeps a partner document (they say `private` to every cache after it). */
  partnerTtlSeconds: number;
}

/** Security headers on every response: these are data files, never pages to frame or script. */
const SECURITY_HEADERS = {
  strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
  contentTypeOptions: { override: true },
  frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
  referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
  contentSecurityPolicy: { contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'", override: true },
};

/**
 * The feeds' home: a private, versioned bucket (a bad publish is rolled back by restoring the
 * previous object version) that only CloudFront can read, through Origin Access Control.
 */
export class FeedDistribution extends Construct {
  readonly bucket: Bucket;
  readonly logsBucket: Bucket;
  readonly distribution: Distribution;
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
      comment: 'Feeds: honour the objects Cache-Control (min TTL 0), short default, nothing in the cache key but the path',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(props.defaultTtlSeconds),
      maxTtl: Duration.days(1),
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Feeds: security headers',
      securityHeadersBehavior: SECURITY_HEADERS,
    });
    // JSON Feed is read by browser apps on other origins; XML feeds go to feed readers and need no CORS.
    const jsonFeedHeaders = new ResponseHeadersPolicy(this, 'JsonFeedHeaders', {
      comment: 'JSON Feed: security headers and CORS for any origin (GET/HEAD)',
      securityHeadersBehavior: SECURITY_HEADERS,
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
      ...behavior(securityHeaders),
      cachePolicy: partnerCachePolicy,
      functionAssociations: [{ function: props.partnerAuth, eventType: FunctionEventType.VIEWER_REQUEST }],
    };
    const domain = props.customDomain;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Section feeds (RSS, Atom, JSON Feed)',
      defaultBehavior: behavior(securityHeaders),
      additionalBehaviors: { '/feeds/*/feed.json': behavior(jsonFeedHeaders), '/partners/*': partnerBehavior },
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
