import { Match, type Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { regenerationFilterPatterns } from '../../../lambdas/core/stream/filter.js';
import { archiveIndexKey, archivePk, articleKey, authorPk, FEED_REGISTRY_PK, sectionPk, feedStateKey, tagPk } from '../../../lambdas/core/storage/keys.js';
import { ENV } from '../../../lambdas/core/contracts/index.js';
import { cacheControlFor, EDGE_FRESH_SECONDS, EDGE_STALE_SECONDS, EDGE_WORST_CASE_STALENESS_SECONDS } from '../../../lambdas/core/publish/cachePolicy.js';
import { ARTICLE_WRITER_KEYS } from '../../../lib/constructs/articleTable.js';
import type { PublisherStack } from '../../../lib/publisherStack.js';
import { actionsOf, logicalId, roleOf, statementsOf, synthPublisherStack, type Resources } from './synthStack.js';

const SECTIONS = [
  { name: 'International', description: 'World news.' },
  { name: 'Business & Markets', description: 'Companies.' },
  { name: 'Science', slug: 'sci', description: 'Research.' },
];
const SLUGS = ['international', 'business-markets', 'sci'];

/** Every IAM action granted to a role, across all policies attached to it, and the statements. */
function grantsOf(template: Template, roleLogicalId: string): { actions: string[]; statements: any[] } {
  const statements = statementsOf(template, roleLogicalId);
  return { actions: statements.flatMap(actionsOf), statements };
}

/** IAM's StringLike: `*` any run of characters, `?` one; everything else literal. */
function stringLike(pattern: string, value: string): boolean {
  const literal = (text: string) => text.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${pattern.split('*').map((part) => part.split('?').map(literal).join('.')).join('.*')}$`).test(value);
}

const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:TransactWriteItems', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

describe('PublisherStack (three sections, default deploy settings)', () => {
  let stack: PublisherStack;
  let template: Template;
  let resources: Resources;

  beforeAll(() => {
    ({ stack, template } = synthPublisherStack({ context: { publisher: { ...baseContextPublisher(), sections: SECTIONS } } }));
    resources = template.toJSON().Resources as Resources;
  });

  it('docs/DEPLOY.md names every stack output (the per-section feed trio by its pattern)', () => {
    const deploy = readFileSync(new URL('../../../docs/DEPLOY.md', import.meta.url), 'utf8');
    const outputs = Object.keys(template.toJSON().Outputs as Record<string, unknown>);
    const perSection = /^Feed[A-Z][A-Za-z0-9]*(Rss|Atom|Json)$/;
    expect(outputs.filter((o) => perSection.test(o))).toHaveLength(SECTIONS.length * 3);
    expect(deploy).toContain('Feed{Slug in PascalCase}{Rss\\|Atom\\|Json}');
    expect(outputs.filter((o) => !perSection.test(o) && !deploy.includes(`\`${o}\``))).toEqual([]);
  });

  it('article table: on-demand, PITR, encrypted, deletion-protected, retained, NEW_AND_OLD_IMAGES stream', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      },
    });
  });

  it('ingest API: IAM authorization on every route, access logs, throttling', () => {
    const routes = template.findResources('AWS::ApiGatewayV2::Route') as Resources;
    expect(Object.values(routes).map((r) => r.Properties['RouteKey']).sort()).toEqual(['DELETE /articles/{id}', 'POST /articles']);
    for (const route of Object.values(routes)) expect(route.Properties['AuthorizationType']).toBe('AWS_IAM');
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [logicalId(stack, stack.ingest.accessLogs), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.identity\\.userArn'),
      },
    });
  });

  it('lambdas: nodejs24.x, arm64, JSON logs into their own log group with retention, X-Ray active, reserved concurrency where it bounds cost', () => {
    // Ours; CDK's own providers (AWSCDK…, e.g. the Trigger's) are checked with the helpers below.
    const ours = [stack.ingest.handler, stack.regeneration.handler, stack.content.handler, stack.backfill.handler];
    const functions = Object.entries(resources).filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && /Handler/.test(id) && !id.startsWith('AWSCDK') && r.Properties['Runtime']?.startsWith('nodejs'));
    expect(functions.map(([id]) => id).sort()).toEqual(ours.map((h) => logicalId(stack, h.function)).sort());
    for (const handler of ours) {
      const fn = resources[logicalId(stack, handler.function)]!;
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], LoggingConfig: { LogFormat: 'JSON' }, TracingConfig: { Mode: 'Active' } });
      // Its own group, the one the construct made (with retention), not the implicit /aws/lambda/… one.
      expect(fn.Properties['LoggingConfig'].LogGroup).toEqual({ Ref: logicalId(stack, handler.logGroup) });
    }
    expect(resources[logicalId(stack, stack.ingest.handler.function)]!.Properties['ReservedConcurrentExecutions']).toBe(10);
    expect(resources[logicalId(stack, stack.content.handler.function)]!.Properties['ReservedConcurrentExecutions']).toBe(2);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('CDK helper functions (bucket deployment, bucket notifications) log into groups with the retention', () => {
    const helpers = Object.entries(resources).filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && !ours(id));
    function ours(id: string) {
      return [stack.ingest.handler, stack.regeneration.handler, stack.content.handler, stack.backfill.handler].some((h) => logicalId(stack, h.function) === id);
    }
    // The bucket deployment, bucket notifications and Trigger (feed backfill) providers.
    expect(helpers).toHaveLength(3);
    const groups = template.findResources('AWS::Logs::LogGroup') as Resources;
    const deployHelper = helpers.find(([id]) => id.startsWith('CustomCDKBucketDeployment'))!;
    const groupRef = deployHelper[1].Properties['LoggingConfig'].LogGroup as { Ref: string };
    expect(groups[groupRef.Ref]!.Properties['RetentionInDays']).toBe(30);
    const notificationsHelper = helpers.find(([id]) => id.startsWith('BucketNotificationsHandler'))!;
    const named = Object.entries(groups).find(([, g]) => JSON.stringify(g.Properties['LogGroupName']) === JSON.stringify({ 'Fn::Join': ['', ['/aws/lambda/', { Ref: notificationsHelper[0] }]] }));
    expect(named?.[1].Properties['RetentionInDays']).toBe(30);
    // Created before the notifications custom resource runs the helper (else Lambda makes the group first).
    const notifications = Object.values(resources).find((r) => r.Type === 'Custom::S3BucketNotifications')!;
    expect(notifications.DependsOn).toContain(named![0]);
    const triggerHelper = helpers.find(([id]) => id.startsWith('AWSCDKTriggerCustomResourceProvider'))!;
    const triggerGroup = Object.entries(groups).find(([, g]) => JSON.stringify(g.Properties['LogGroupName']) === JSON.stringify({ 'Fn::Join': ['', ['/aws/lambda/', { Ref: triggerHelper[0] }]] }));
    expect(triggerGroup?.[1].Properties['RetentionInDays']).toBe(30);
    const trigger = Object.values(resources).find((r) => r.Type === 'Custom::Trigger')!;
    expect(trigger.DependsOn).toContain(triggerGroup![0]);
  });

  it('regeneration: stream mapping with the configured sections filter, batching window, bisect, partial failures, bounded retries, DLQ, in order', () => {
    // The stream, and the publication-due queue (test/unit/stack/publicationDueQueue.test.ts).
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack, stack.articles.table), 'StreamArn'] },
      FilterCriteria: { Filters: regenerationFilterPatterns(SLUGS).map((p) => ({ Pattern: JSON.stringify(p) })) },
      MaximumBatchingWindowInSeconds: 5,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 86400,
      ParallelizationFactor: 1,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stack, stack.regeneration.deadLetters.queue), 'Arn'] } } },
    });
    const fn = resources[logicalId(stack, stack.regeneration.handler.function)]!;
    // Ordering across shards comes from the section lease, whose TTL must outlive the function timeout.
    expect(fn.Properties['ReservedConcurrentExecutions']).toBeUndefined();
    expect(Number(fn.Properties['Environment'].Variables[ENV.sectionLeaseTtlMs])).toBeGreaterThan(fn.Properties['Timeout'] * 1000);
    expect(Object.keys(fn.Properties['Environment'].Variables).sort()).toEqual(
      [
        ENV.tableName,
        ENV.feedBucket,
        ENV.feedBaseUrl,
        ENV.publisherConfig,
        ENV.sectionLeaseTtlMs,
        ENV.publicationScheduleGroup,
        ENV.publicationScheduleRoleArn,
        ENV.publicationScheduleDeadLetterArn,
        ENV.publicationDueQueueUrl,
      ].sort(),
    );
    // No --enable-source-maps by default: parsing the map costs every cold start (deploy.sourceMaps turns it on).
    expect(JSON.parse(fn.Properties['Environment'].Variables[ENV.publisherConfig]).sections.map((s: { slug: string }) => s.slug)).toEqual(SLUGS);
  });

  it('regeneration IAM: writes only STATE# and ARCHIVE* items (never ARTICLE#, SECTION#, TAG#); feeds/* and partners/* only (delete: partner ninjs only); no invalidation by default', () => {
    const { actions, statements } = grantsOf(template, roleOf(template, logicalId(stack, stack.regeneration.handler.function)));
    // No batch or transactional writes at all: those could carry keys a LeadingKeys condition is not asked about per item.
    for (const write of ['dynamodb:BatchWriteItem', 'dynamodb:TransactWriteItems']) expect(actions).not.toContain(write);
    // Every write action sits in one statement, confined by IAM to the lease/state and archive partitions.
    const writes = statements.filter((s) => [s.Action].flat().some((a: string) => WRITE_ACTIONS.includes(a)));
    expect(writes).toEqual([
      {
        Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalId(stack, stack.articles.table), 'Arn'] },
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['STATE#*', 'ARCHIVE*'] } },
      },
    ]);
    // The patterns admit the keys lambdas/core/storage/keys.ts builds for state and archive, and no other kind of item.
    const patterns = writes[0].Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys'] as string[];
    const allowed = (pk: string) => patterns.some((p) => stringLike(p, pk));
    for (const pk of [feedStateKey('international').pk, feedStateKey('tag/russia').pk, archivePk('international'), archiveIndexKey('international', 'a-1').pk, FEED_REGISTRY_PK]) {
      expect(allowed(pk), pk).toBe(true);
    }
    for (const pk of [articleKey('a-1').pk, sectionPk('international'), tagPk('russia-ukraine-conflict'), authorPk('ana-souza'), 'archive#lower-case']) expect(allowed(pk), pk).toBe(false);
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(
      [
        'dynamodb:BatchGetItem',
        'dynamodb:DeleteItem',
        'dynamodb:DescribeStream',
        'dynamodb:GetItem',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ].sort(),
    );
    // No hubs configured: no WebSub queue; its only SQS grants are its dead-letter queues (stream batches, scheduled runs)
    // and the publication-due queue (sends and, through its event source mapping, consumes).
    expect(stack.websub).toBeUndefined();
    const sqsResources = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('sqs:'))).map((s) => s.Resource);
    const dueQueue = { 'Fn::GetAtt': [logicalId(stack, stack.publicationDue.queue), 'Arn'] };
    expect(sqsResources).toEqual([
      { 'Fn::GetAtt': [logicalId(stack, stack.regeneration.deadLetters.queue), 'Arn'] },
      { 'Fn::GetAtt': [logicalId(stack, stack.schedules.deadLetters.queue), 'Arn'] },
      dueQueue,
      dueQueue,
    ]);
    const fn = resources[logicalId(stack, stack.regeneration.handler.function)]!;
    expect(fn.Properties['Environment'].Variables[ENV.websubQueueUrl]).toBeUndefined();
    const bucketArn = { 'Fn::GetAtt': [logicalId(stack, stack.feeds.bucket), 'Arn'] };
    expect(statements).toContainEqual({
      Action: ['s3:PutObject', 's3:GetObject'],
      Effect: 'Allow',
      Resource: [{ 'Fn::Join': ['', [bucketArn, '/feeds/*']] }, { 'Fn::Join': ['', [bucketArn, '/partners/*']] }],
    });
    expect(statements).toContainEqual({ Action: 's3:DeleteObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', [bucketArn, '/partners/*/ninjs/*']] } });
    expect(actions.filter((a) => a.startsWith('s3:')).sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
    // Paid invalidation is opt-in: by default neither the permission nor the distribution id.
    expect(actions.filter((a) => a.startsWith('cloudfront:'))).toEqual([]);
    expect(fn.Properties['Environment'].Variables[ENV.distributionId]).toBeUndefined();
    expect(actions.filter((a) => a.startsWith('xray:')).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('ingest and content-inbox IAM: GetItem/PutItem/DeleteItem on ARTICLE#, SECTION#, TAG#, AUTHOR# keys only; no Scan, Query or batch writes; nothing on S3 feeds or CloudFront', () => {
    const tableArn = { 'Fn::GetAtt': [logicalId(stack, stack.articles.table), 'Arn'] };
    for (const handler of [stack.ingest.handler, stack.content.handler]) {
      const { statements } = grantsOf(template, roleOf(template, logicalId(stack, handler.function)));
      const dynamo = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
      expect(dynamo).toEqual([
        {
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
          Effect: 'Allow',
          Resource: tableArn,
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ARTICLE#*', 'SECTION#*', 'TAG#*', 'AUTHOR#*'] } },
        },
      ]);
    }
    // The patterns admit what ingest writes (lambdas/core/storage/keys.ts) and nothing regeneration owns.
    const allowed = (pk: string) => ARTICLE_WRITER_KEYS.some((p) => stringLike(p, pk));
    for (const pk of [articleKey('a-1').pk, sectionPk('international'), tagPk('russia-ukraine-conflict'), authorPk('ana-souza')]) expect(allowed(pk), pk).toBe(true);
    for (const pk of [feedStateKey('international').pk, archivePk('international'), archiveIndexKey('international', 'a-1').pk, FEED_REGISTRY_PK]) expect(allowed(pk), pk).toBe(false);
    const { actions } = grantsOf(template, roleOf(template, logicalId(stack, stack.ingest.handler.function)));
    expect(actions.filter((a) => a.startsWith('s3:') || a.startsWith('cloudfront:'))).toEqual([]);
    const fn = resources[logicalId(stack, stack.ingest.handler.function)]!;
    expect(Object.keys(fn.Properties['Environment'].Variables)).not.toContain(ENV.feedBucket);
  });

  it('feed bucket: private, TLS only, encrypted, versioned, access-logged, retained; read only by CloudFront via OAC', () => {
    const bucket = resources[logicalId(stack, stack.feeds.bucket)]!;
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(stack, stack.feeds.logsBucket) } },
    });
    const bucketRef = logicalId(stack, stack.feeds.bucket);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketRef },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: logicalId(stack, stack.feeds.distribution) }])]) }) } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
  });

  it('distribution: OAC origin, HTTPS redirect, compression, feed cache policy, headers policies, CORS for feed.json, logging', () => {
    const config = resources[logicalId(stack, stack.feeds.distribution)]!.Properties['DistributionConfig'];
    expect(config.Origins).toHaveLength(1);
    expect(config.Origins[0].OriginAccessControlId).toEqual({ 'Fn::GetAtt': [Object.keys(template.findResources('AWS::CloudFront::OriginAccessControl'))[0], 'Id'] });
    expect(config.Origins[0].DomainName).toEqual({ 'Fn::GetAtt': [logicalId(stack, stack.feeds.bucket), 'RegionalDomainName'] });
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', Compress: true, AllowedMethods: ['GET', 'HEAD'] });
    // Precedence order: CloudFront takes the first pattern that matches the viewer's URI.
    expect(config.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern)).toEqual(['/feeds/*/feed.json', '/partners/*', '/feeds/*/archive/*', '/sitemaps/*', '/robots.txt', '*.html', '*/']);
    for (const b of config.CacheBehaviors) expect(b).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', Compress: true, AllowedMethods: ['GET', 'HEAD'] });
    expect(config.Logging.Bucket).toEqual({ 'Fn::GetAtt': [logicalId(stack, stack.feeds.logsBucket), 'RegionalDomainName'] });

    // Feeds: min TTL 0 so the objects' s-maxage (a few seconds) decides; no invalidation needed for freshness.
    expect(cacheControlFor('subscriptionFeed', { feedMaxAgeSeconds: 60 })).toContain(`s-maxage=${EDGE_FRESH_SECONDS}, stale-while-revalidate=${EDGE_STALE_SECONDS}`);
    expect(EDGE_WORST_CASE_STALENESS_SECONDS).toBeLessThanOrEqual(10);
    const cachePolicies = template.findResources('AWS::CloudFront::CachePolicy') as Resources;
    const policyOf = (behavior: { CachePolicyId: { Ref: string } }) => cachePolicies[behavior.CachePolicyId.Ref]!.Properties['CachePolicyConfig'];
    expect(policyOf(config.DefaultCacheBehavior)).toMatchObject({ MinTTL: 0, DefaultTTL: EDGE_FRESH_SECONDS, MaxTTL: 86400 });
    const byPattern = Object.fromEntries(config.CacheBehaviors.map((b: { PathPattern: string }) => [b.PathPattern, b]));
    for (const pattern of ['/feeds/*/feed.json', '/sitemaps/*', '/robots.txt', '*.html', '*/']) expect(policyOf(byPattern[pattern])).toMatchObject({ MinTTL: 0, DefaultTTL: EDGE_FRESH_SECONDS });
    expect(policyOf(byPattern['/partners/*'])).toMatchObject({ MinTTL: EDGE_FRESH_SECONDS, DefaultTTL: EDGE_FRESH_SECONDS, MaxTTL: EDGE_FRESH_SECONDS });
    expect(policyOf(byPattern['/feeds/*/archive/*'])).toMatchObject({ MinTTL: 0, DefaultTTL: EDGE_FRESH_SECONDS, MaxTTL: 86400 });
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: {
        MinTTL: 0,
        DefaultTTL: EDGE_FRESH_SECONDS,
        MaxTTL: 86400,
        ParametersInCacheKeyAndForwardedToOrigin: {
          HeadersConfig: { HeaderBehavior: 'none' },
          CookiesConfig: { CookieBehavior: 'none' },
          QueryStringsConfig: { QueryStringBehavior: 'none' },
          EnableAcceptEncodingGzip: true,
          EnableAcceptEncodingBrotli: true,
        },
      },
    });
    const policies = template.findResources('AWS::CloudFront::ResponseHeadersPolicy') as Resources;
    const byRef = (ref: { Ref: string }) => policies[ref.Ref]!.Properties['ResponseHeadersPolicyConfig'];
    const jsonPolicy = byRef(config.CacheBehaviors[0].ResponseHeadersPolicyId);
    expect(jsonPolicy.CorsConfig).toMatchObject({
      AccessControlAllowOrigins: { Items: ['*'] },
      AccessControlAllowMethods: { Items: ['GET', 'HEAD'] },
      AccessControlAllowCredentials: false,
      OriginOverride: true,
    });
    const defaultPolicy = byRef(config.DefaultCacheBehavior.ResponseHeadersPolicyId);
    expect(defaultPolicy.CorsConfig).toBeUndefined();
    // The JSON Feed keeps the data CSP: nothing may load.
    expect(jsonPolicy.SecurityHeadersConfig.ContentSecurityPolicy).toEqual({ ContentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'", Override: true });
    for (const policy of [jsonPolicy, defaultPolicy, ...config.CacheBehaviors.map((b: { ResponseHeadersPolicyId: { Ref: string } }) => byRef(b.ResponseHeadersPolicyId))]) {
      expect(policy.SecurityHeadersConfig).toMatchObject({
        StrictTransportSecurity: { IncludeSubdomains: true, Override: true },
        ContentTypeOptions: { Override: true },
        FrameOptions: { FrameOption: 'DENY' },
      });
    }
  });

  it('operations: alarms on every DLQ (stream, content inbox, publication schedules, publication-due queue), every function\'s errors, stream iterator age, CloudFront 5xx rate, all to the topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources).map((a) => a.Properties);
    const names = alarms.map((a) => a['MetricName']).sort();
    expect(names).toEqual(['5xxErrorRate', ...Array<string>(4).fill('ApproximateNumberOfMessagesVisible'), 'Errors', 'Errors', 'Errors', 'IteratorAge'].sort());
    const topicRef = { Ref: logicalId(stack, stack.operations.topic) };
    for (const alarm of alarms) expect(alarm['AlarmActions']).toEqual([topicRef]);
    const fiveXx = alarms.find((a) => a['MetricName'] === '5xxErrorRate')!;
    expect(fiveXx['Namespace']).toBe('AWS/CloudFront');
    expect(fiveXx['Dimensions']).toEqual(expect.arrayContaining([{ Name: 'Region', Value: 'Global' }]));
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('outputs: the ingest endpoint, what replay needs, and each section\'s three feed URLs', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs['IngestEndpoint']?.Value)).toContain(logicalId(stack, stack.ingest.api));
    expect(JSON.stringify(outputs['DeadLetterQueueUrl']?.Value)).toContain(logicalId(stack, stack.regeneration.deadLetters.queue));
    expect(JSON.stringify(outputs['RegenerationFunctionName']?.Value)).toContain(logicalId(stack, stack.regeneration.handler.function));
    for (const [slug, id] of [['international', 'International'], ['business-markets', 'BusinessMarkets'], ['sci', 'Sci']] as const) {
      for (const [format, file] of [['Rss', 'rss.xml'], ['Atom', 'atom.xml'], ['Json', 'feed.json']] as const) {
        const value = JSON.stringify(outputs[`Feed${id}${format}`]?.Value);
        expect(value).toContain(`/feeds/${slug}/${file}`);
        expect(value).toContain('https://');
        expect(value).toContain(logicalId(stack, stack.feeds.distribution));
      }
    }
  });

  it('content shipping: content/ synced with prune to inbox/, after the notifications exist; created/removed events to the inbox function with retries and a DLQ', () => {
    const deployment = Object.values(resources).find((r) => r.Type === 'Custom::CDKBucketDeployment')!;
    expect(deployment.Properties).toMatchObject({ Prune: true, DestinationBucketKeyPrefix: 'inbox/', DestinationBucketName: { Ref: logicalId(stack, stack.content.inbox) } });
    const notificationsId = Object.entries(resources).find(([, r]) => r.Type === 'Custom::S3BucketNotifications')![0];
    expect(deployment.DependsOn).toContain(notificationsId);
    const fnArn = { 'Fn::GetAtt': [logicalId(stack, stack.content.handler.function), 'Arn'] };
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: Match.arrayWith([
          { Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'inbox/' }] } }, LambdaFunctionArn: fnArn },
          { Events: ['s3:ObjectRemoved:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'inbox/' }] } }, LambdaFunctionArn: fnArn },
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stack, stack.content.deadLetters.queue), 'Arn'] } } },
    });
    const { actions } = grantsOf(template, roleOf(template, logicalId(stack, stack.content.handler.function)));
    expect(actions.filter((a) => a.startsWith('s3:')).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(stack.content.files).toContain('international-putin-kursk-visit.md');
  });

  it('queues: encrypted, TLS only; dead-letter queues kept 14 days', () => {
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    const queues = Object.entries(template.findResources('AWS::SQS::Queue') as Resources);
    const working = logicalId(stack, stack.publicationDue.queue);
    for (const [id, queue] of queues) if (id !== working) expect(queue.Properties['MessageRetentionPeriod'], id).toBe(14 * 86400);
    expect(queues).toHaveLength(5);
    template.resourcePropertiesCountIs('AWS::SQS::QueuePolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } }, 5);
  });
});

describe('PublisherStack with deploy settings', () => {
  let stack: PublisherStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthPublisherStack({
      context: {
        deploy: {
          customDomain: { domainNames: ['feeds.news.example.org'], certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f0e8c9a-1111-2222-3333-444455556666' },
          alarmEmail: 'ops@news.example.org',
          logRetentionDays: 90,
          cdnInvalidation: { enabled: true, monthlyPathBudget: 400 },
          reservedConcurrency: false,
          serializeRegeneration: true,
          ingestThrottle: { rateLimit: 5, burstLimit: 10 },
          regeneration: { batchingWindowSeconds: 2, retryAttempts: 3, maxRecordAgeSeconds: 3600 },
          sourceMaps: true,
        },
      },
    }));
  });

  it('deploy.sourceMaps: every function of ours runs with --enable-source-maps', () => {
    const resources = template.toJSON().Resources as Resources;
    for (const h of [stack.ingest.handler, stack.regeneration.handler, stack.content.handler]) {
      expect(resources[logicalId(stack, h.function)]!.Properties['Environment'].Variables['NODE_OPTIONS']).toBe('--enable-source-maps');
    }
  });

  it('custom domain and certificate, TLS 1.2, feed URLs on the custom domain', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['feeds.news.example.org'],
        ViewerCertificate: Match.objectLike({ AcmCertificateArn: Match.stringLikeRegexp('^arn:aws:acm:us-east-1:'), MinimumProtocolVersion: 'TLSv1.2_2021' }),
      }),
    });
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs['FeedInternationalRss']?.Value).toBe('https://feeds.news.example.org/feeds/international/rss.xml');
    expect(outputs['NewsSitemapUrl']?.Value).toBe('https://feeds.news.example.org/sitemaps/news.xml');
  });

  it('invalidation opted in: distribution id, the path budget and CreateInvalidation on that distribution only; serialized: reserved concurrency 1, no other reservation', () => {
    const resources = template.toJSON().Resources as Resources;
    const fn = resources[logicalId(stack, stack.regeneration.handler.function)]!;
    expect(fn.Properties['Environment'].Variables[ENV.distributionId]).toEqual({ Ref: logicalId(stack, stack.feeds.distribution) });
    expect(fn.Properties['Environment'].Variables[ENV.invalidationPathBudget]).toBe('400');
    expect(fn.Properties['ReservedConcurrentExecutions']).toBe(1);
    for (const h of [stack.ingest.handler, stack.content.handler]) expect(resources[logicalId(stack, h.function)]!.Properties['ReservedConcurrentExecutions']).toBeUndefined();
    const { statements } = grantsOf(template, roleOf(template, logicalId(stack, stack.regeneration.handler.function)));
    const invalidation = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('cloudfront:')));
    expect(invalidation).toHaveLength(1);
    expect(invalidation[0].Action).toBe('cloudfront:CreateInvalidation');
    expect(JSON.stringify(invalidation[0].Resource)).toContain(logicalId(stack, stack.feeds.distribution));
    // Nobody else may invalidate.
    for (const h of [stack.ingest.handler, stack.content.handler]) {
      expect(grantsOf(template, roleOf(template, logicalId(stack, h.function))).actions.filter((a) => a.startsWith('cloudfront:'))).toEqual([]);
    }
  });

  it('alarm e-mail, log retention, throttling and stream settings come from the configuration', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@news.example.org' });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 } });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { MaximumBatchingWindowInSeconds: 2, MaximumRetryAttempts: 3, MaximumRecordAgeInSeconds: 3600 });
  });
});

function baseContextPublisher(): Record<string, unknown> {
  return {
    siteTitle: 'IIE Digital Desk',
    siteUrl: 'https://news.example.org',
    language: 'en',
    itemIdAuthority: 'news.example.org,2025',
  };
}
