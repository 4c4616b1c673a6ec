import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { PublisherConfig } from '../lambdas/core/config/index.js';
import { EDGE_FRESH_SECONDS, IMMUTABLE_MAX_AGE_SECONDS } from '../lambdas/core/publish/cachePolicy.js';
import { absoluteUrl, FEED_FILES, FEED_FORMAT_NAMES, feedFilePath, feedFolder, SITE_PATHS } from '../lambdas/core/urls.js';
import type { DeployConfig } from './config/deployConfig.js';
import { ArticleTable } from './constructs/articleTable.js';
import { ContentShipping } from './constructs/contentShipping.js';
import { CustomDomainRecords } from './constructs/customDomainRecords.js';
import { FeedDistribution } from './constructs/feedDistribution.js';
import { IngestApi } from './constructs/ingestApi.js';
import { Operations } from './constructs/operations.js';
import { PartnerAccess } from './constructs/partnerAccess.js';
import { FeedBackfill } from './constructs/feedBackfill.js';
import { PublicationDueQueue } from './constructs/publicationDueQueue.js';
import { PublicationSchedules } from './constructs/publicationSchedules.js';
import { PublisherFunction } from './constructs/publisherFunction.js';
import { Regeneration } from './constructs/regeneration.js';
import { WebSubNotifications } from './constructs/websub.js';

export const DEFAULT_CONTENT_DIR = fileURLToPath(new URL('../content/', import.meta.url));

export interface PublisherStackProps extends StackProps {
  publisher: PublisherConfig;
  deploy: DeployConfig;
  /** Folder whose files ship with the deploy (default: the repository's content/). */
  contentDir?: string;
}

/** `SectionFeedInternationalRss`-style output ids (alphanumeric only). */
const outputId = (slug: string, format: string) =>
  `Feed${slug.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')}${format.charAt(0).toUpperCase()}${format.slice(1)}`;

/** The whole feed publisher: articles in, feeds out, watched. */
export class PublisherStack extends Stack {
  readonly articles: ArticleTable;
  readonly ingest: IngestApi;
  readonly feeds: FeedDistribution;
  readonly regeneration: Regeneration;
  readonly backfill: FeedBackfill;
  /** Scheduled articles' one-time schedules (group, scheduler role, dead-letter queue). */
  readonly schedules: PublicationSchedules;
  /** Early publications handed back with a delay (queue, dead-letter queue), consumed by regeneration. */
  readonly publicationDue: PublicationDueQueue;
  readonly content: ContentShipping;
  readonly operations: Operations;
  readonly partners: PartnerAccess;
  /** Only when `publisher.websubHubs` is non-empty. */
  readonly websub: WebSubNotifications | undefined;

  constructor(scope: Construct, id: string, props: PublisherStackProps) {
    super(scope, id, props);
    const { publisher, deploy } = props;
    const logRetention = deploy.logRetentionDays as RetentionDays;
    const reserved = deploy.reservedConcurrency || undefined;

    this.articles = new ArticleTable(this, 'Articles');
    this.partners = new PartnerAccess(this, 'Partners');
    this.feeds = new FeedDistribution(this, 'Feeds', {
      partnerAuth: this.partners.function,
      // Partner documents say `private` (no cache after CloudFront); CloudFront keeps them as long as a public feed.
      partnerTtlSeconds: EDGE_FRESH_SECONDS,
      defaultTtlSeconds: EDGE_FRESH_SECONDS,
      archiveMaxTtlSeconds: IMMUTABLE_MAX_AGE_SECONDS,
      logRetentionDays: deploy.logRetentionDays,
      customDomain: deploy.customDomain,
      webAclArn: deploy.webAclArn,
    });
    const domain = deploy.customDomain;
    if (domain?.hostedZone) {
      new CustomDomainRecords(this, 'DomainRecords', { distribution: this.feeds.distribution, domainNames: domain.domainNames, hostedZone: domain.hostedZone });
    }
    this.websub = publisher.websubHubs.length > 0 ? new WebSubNotifications(this, 'WebSub', { publisher, logRetention, reservedConcurrency: reserved?.webSub }) : undefined;
    this.ingest = new IngestApi(this, 'Ingest', { articles: this.articles, publisher, logRetention, reservedConcurrency: reserved?.ingest, throttle: deploy.ingestThrottle });
    this.regeneration = new Regeneration(this, 'Regeneration', {
      table: this.articles.table,
      bucket: this.feeds.bucket,
      publisher,
      settings: deploy.regeneration,
      logRetention,
      feedBaseUrl: this.feeds.baseUrl,
      ...(deploy.cdnInvalidation.enabled && { invalidation: { distribution: this.feeds.distribution, monthlyPathBudget: deploy.cdnInvalidation.monthlyPathBudget } }),
      serialize: deploy.serializeRegeneration,
      ...(this.websub && { websubQueue: this.websub.queue }),
    });
    // After the regeneration function and its stream mapping exist: it publishes what the backfill rewrote.
    this.backfill = new FeedBackfill(this, 'Backfill', { articles: this.articles, publisher, logRetention, executeAfter: [this.regeneration] });
    this.schedules = new PublicationSchedules(this, 'PublicationSchedules', { target: this.regeneration.handler.function });
    this.publicationDue = new PublicationDueQueue(this, 'PublicationDue', { consumer: this.regeneration.handler.function });
    this.content = new ContentShipping(this, 'Content', {
      contentDir: props.contentDir ?? DEFAULT_CONTENT_DIR,
      articles: this.articles,
      publisher,
      logRetention,
      reservedConcurrency: reserved?.contentInbox,
      accessLogsBucket: this.feeds.logsBucket,
      feedBucket: this.feeds.bucket,
      feedBaseUrl: this.feeds.baseUrl,
    });
    if (deploy.sourceMaps) PublisherFunction.enableSourceMaps(this);
    this.operations = new Operations(this, 'Operations', {
      deadLetterQueues: {
        Regeneration: this.regeneration.deadLetters.queue,
        PublicationSchedules: this.schedules.deadLetters.queue,
        PublicationDue: this.publicationDue.deadLetters.queue,
        ContentInbox: this.content.deadLetters.queue,
        ...(this.websub && { WebSub: this.websub.deadLetters.queue }),
      },
      functions: {
        Ingest: this.ingest.handler.function,
        Regeneration: this.regeneration.handler.function,
        ContentInbox: this.content.handler.function,
        ...(this.websub && { WebSub: this.websub.handler.function }),
      },
      streamConsumer: this.regeneration.handler.function,
      distribution: this.feeds.distribution,
      alarmEmail: deploy.alarmEmail,
    });

    new CfnOutput(this, 'IngestEndpoint', { value: this.ingest.api.apiEndpoint, description: 'POST {this}/articles, SigV4-signed (execute-api)' });
    new CfnOutput(this, 'FeedBaseUrl', { value: this.feeds.baseUrl, description: 'Public origin of the feeds' });
    new CfnOutput(this, 'NewsSitemapUrl', {
      value: absoluteUrl(this.feeds.baseUrl, SITE_PATHS.newsSitemap),
      description: 'Google News sitemap (the feeds host robots.txt names it): submit it in Search Console, or name it in the news site robots.txt',
    });
    new CfnOutput(this, 'DistributionId', { value: this.feeds.distribution.distributionId });
    new CfnOutput(this, 'DistributionDomainName', {
      value: this.feeds.distribution.distributionDomainName,
      description: 'Where a custom domain points (CNAME or alias) when the stack does not manage its DNS records',
    });
    new CfnOutput(this, 'FeedBucketName', { value: this.feeds.bucket.bucketName, description: 'Versioned: restore an older object version to roll back a feed' });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.operations.topic.topicArn });
    // What `npm run replay -- --queue-url … --function-name …` needs.
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.regeneration.deadLetters.queue.queueUrl, description: 'Failed stream batches: npm run replay -- --queue-url {this}' });
    new CfnOutput(this, 'PublicationScheduleGroupName', { value: this.schedules.group.scheduleGroupName, description: 'One one-time schedule per scheduled article: aws scheduler list-schedules --group-name {this}' });
    new CfnOutput(this, 'PublicationScheduleDeadLetterQueueUrl', { value: this.schedules.deadLetters.queue.queueUrl, description: 'Scheduled publications that failed every retry (the article is stored; any change of its feed, or npm run reconcile, publishes it)' });
    new CfnOutput(this, 'PublicationDueDeadLetterQueueUrl', { value: this.publicationDue.deadLetters.queue.queueUrl, description: 'Delayed publications that failed every receive (redrive them to the publication-due queue once the cause is fixed)' });
    new CfnOutput(this, 'RegenerationFunctionName', { value: this.regeneration.handler.function.functionName, description: 'npm run replay -- --function-name {this}' });
    new CfnOutput(this, 'PartnerKeyValueStoreArn', {
      value: this.partners.keyStore.keyValueStoreArn,
      description: 'npm run partner -- add|list|revoke NAME --kvs-arn {this}',
    });
    new CfnOutput(this, 'PartnerFunctionName', {
      value: this.partners.function.functionName,
      description: 'Partner requests are logged (partner name, request id, path) in /aws/cloudfront/function/{this}, us-east-1',
    });
    for (const section of publisher.sections) {
      for (const format of FEED_FORMAT_NAMES) {
        new CfnOutput(this, outputId(section.slug, format), {
          value: absoluteUrl(this.feeds.baseUrl, feedFilePath(feedFolder('section', section.slug), format)),
          description: `${section.title}: ${FEED_FILES[format]}`,
        });
      }
    }
  }
}
