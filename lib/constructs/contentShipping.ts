import { type CfnResource, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, EventType, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { contentMediaDocuments, MEDIA_PREFIX } from '../../lambdas/core/content/index.js';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import type { ArticleTable } from './articleTable.js';
import type { PublisherConfig } from '../../lambdas/core/config/index.js';
import { ENV, INBOX_PREFIX } from '../../lambdas/core/contracts/index.js';
import { validateContentFolder } from '../content/validateContentFolder.js';
import { DeadLetterQueue } from './deadLetterQueue.js';
import { PublisherFunction } from './publisherFunction.js';
import { acknowledge, arnWildcardFinding, BASIC_EXECUTION_ROLE_FINDING } from '../nag.js';

export interface ContentShippingProps {
  /** The repository's content/ folder. */
  contentDir: string;
  articles: ArticleTable;
  publisher: PublisherConfig;
  logRetention: RetentionDays;
  /** Reserved concurrency of the function; undefined: none. */
  reservedConcurrency?: number;
  accessLogsBucket: IBucket;
  /** The feeds bucket and its public origin: content/media ships there under media/, and content files' `media/...` references resolve against the origin. */
  feedBucket: IBucket;
  feedBaseUrl: string;
}

/**
 * Publishing by commit: every deploy syncs content/ to the inbox/ prefix of a private bucket
 * (prune: a file removed from content/ is deleted there), and S3 notifications run the contentInbox
 * function, which ingests created files and retracts the articles of removed ones.
 *
 * A bad file fails loudly twice over: synth validates every file with the same parser and validator
 * (the deploy stops before anything changes), and anything only the account can reveal (a version
 * conflict with the stored article) makes the function throw, retry twice, and land in a
 * dead-letter queue that Operations alarms on.
 */
export class ContentShipping extends Construct {
  readonly inbox: Bucket;
  readonly handler: PublisherFunction;
  readonly deadLetters: DeadLetterQueue;
  /** Files shipped with this synth. */
  readonly files: string[];

  constructor(scope: Construct, id: string, props: ContentShippingProps) {
    super(scope, id);
    this.files = validateContentFolder(props.contentDir, props.publisher);

    this.inbox = new Bucket(this, 'Inbox', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'content-inbox/',
      // Deleting the inbox's objects would retract every article: on teardown it stays, untouched.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters');
    this.handler = new PublisherFunction(this, 'Handler', {
      entry: 'contentInbox.ts',
      description: 'Ingests content files dropped into the inbox by the deploy; retracts the articles of removed files',
      environment: { [ENV.tableName]: props.articles.table.tableName, [ENV.publisherConfig]: JSON.stringify(props.publisher), [ENV.feedBaseUrl]: props.feedBaseUrl },
      logRetention: props.logRetention,
      ...(props.reservedConcurrency !== undefined && { reservedConcurrentExecutions: props.reservedConcurrency }),
      timeout: Duration.minutes(1),
    });
    const fn = this.handler.function;
    props.articles.grantArticleWriter(fn);
    // Read the inbox files; ListBucket so that HeadObject of a removed file answers 404 (not 403).
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.inbox.arnForObjects(`${INBOX_PREFIX}*`)] }));
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.inbox.bucketArn] }));
    acknowledge(fn, {
      [arnWildcardFinding(this.inbox, `/${INBOX_PREFIX}*`)]: 'Read-only on the inbox/ prefix of the content inbox bucket: the files are named by the editors.',
    });
    fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(this.deadLetters.queue) });

    const destination = new LambdaDestination(fn);
    this.inbox.addEventNotification(EventType.OBJECT_CREATED, destination, { prefix: INBOX_PREFIX });
    this.inbox.addEventNotification(EventType.OBJECT_REMOVED, destination, { prefix: INBOX_PREFIX });

    const deployment = new BucketDeployment(this, 'Deploy', {
      sources: [Source.asset(props.contentDir, { exclude: ['*', '!*.md', '!*.json'] })],
      destinationBucket: this.inbox,
      destinationKeyPrefix: INBOX_PREFIX,
      prune: true,
      // On teardown the files stay: their deletion would retract the articles.
      retainOnDelete: true,
      memoryLimit: 512,
      // CDK's helper function, but its logs are ours: kept as long as every other log of the stack.
      logGroup: new LogGroup(this, 'DeployLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY }),
    });
    // The files must land only once the notifications exist, or the first deploy would ingest nothing.
    const notifications = this.inbox.node.tryFindChild('Notifications');
    if (notifications) deployment.node.addDependency(notifications);

    this.retainNotificationHelperLogs(props.logRetention);
    this.acknowledgeCdkHelpers(deployment);
    this.shipMedia(props);
  }

  /**
   * content/media/** -> media/** in the feeds bucket, served from the feeds host like the feeds
   * (prune: a removed file leaves). Checked at synth: unsafe names, unknown types or oversize files fail here.
   */
  private shipMedia(props: ContentShippingProps): void {
    const media = join(props.contentDir, 'media');
    if (!existsSync(media) || contentMediaDocuments(props.contentDir).length === 0) return;
    const deployment = new BucketDeployment(this, 'DeployMedia', {
      sources: [Source.asset(media)],
      destinationBucket: props.feedBucket,
      destinationKeyPrefix: MEDIA_PREFIX,
      prune: true,
      cacheControl: [CacheControl.fromString('public, max-age=86400, s-maxage=300')],
      memoryLimit: 512,
      logGroup: new LogGroup(this, 'DeployMediaLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY }),
    });
    this.acknowledgeCdkHelpers(deployment);
    // Both deployments share CDK's singleton helper (same memory limit): its role gets this finding.
    const helper = deployment.handlerRole.node.scope;
    if (helper) {
      acknowledge(helper, {
        [arnWildcardFinding(props.feedBucket, '/*')]: 'CDK BucketDeployment helper: syncs content/media into the media/ prefix of the feeds bucket.',
      });
    }
  }

  /** Id of the singleton function CDK adds to a stack for bucket notifications. */
  static readonly NOTIFICATIONS_HELPER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

  /**
   * CDK's bucket-notifications helper takes no log settings: give it its /aws/lambda/{name} group
   * with the stack's retention, created before the notifications run (else Lambda creates the group
   * itself, kept forever, and this one would fail as already existing).
   */
  private retainNotificationHelperLogs(retention: RetentionDays): void {
    const stack = Stack.of(this);
    const helper = stack.node.tryFindChild(ContentShipping.NOTIFICATIONS_HELPER_ID);
    const fn = helper?.node.tryFindChild('Resource') as CfnResource | undefined;
    const notifications = this.inbox.node.tryFindChild('Notifications');
    if (!helper || !fn) return;
    const logs = new LogGroup(stack, 'BucketNotificationsHandlerLogs', {
      logGroupName: `/aws/lambda/${fn.ref}`,
      retention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    if (notifications) notifications.node.addDependency(logs);
  }

  /** Findings on the helper functions CDK itself adds for the deployment and the notifications. */
  private acknowledgeCdkHelpers(deployment: BucketDeployment): void {
    const stack = Stack.of(this);
    const helper = deployment.handlerRole.node.scope;
    if (helper) {
      const assets = `arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-<AWS::Region>/*`;
      acknowledge(helper, {
        [BASIC_EXECUTION_ROLE_FINDING]: 'CDK BucketDeployment helper: the AWS-managed basic execution role only writes its own logs.',
        'AwsSolutions-L1': 'CDK BucketDeployment helper: its Python runtime is chosen and updated by aws-cdk-lib, not by this stack.',
        'AwsSolutions-IAM5[Action::s3:GetObject*]': 'CDK BucketDeployment helper: reads the content asset from the CDK asset bucket.',
        'AwsSolutions-IAM5[Action::s3:GetBucket*]': 'CDK BucketDeployment helper: s3 sync needs the bucket metadata of source and destination.',
        'AwsSolutions-IAM5[Action::s3:List*]': 'CDK BucketDeployment helper: s3 sync lists source and destination to compute the diff (prune).',
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]': 'CDK BucketDeployment helper: prune deletes files removed from content/, which retracts their articles.',
        'AwsSolutions-IAM5[Action::s3:Abort*]': 'CDK BucketDeployment helper: aborts its own failed multipart uploads.',
        [`AwsSolutions-IAM5[Resource::${assets}]`]: 'CDK BucketDeployment helper: the asset objects have content-hash names in the bootstrap asset bucket.',
        [arnWildcardFinding(this.inbox, '/*')]: 'CDK BucketDeployment helper: syncs into the content inbox bucket only.',
      });
    }
    const notifications = stack.node.tryFindChild(ContentShipping.NOTIFICATIONS_HELPER_ID);
    if (notifications) {
      acknowledge(notifications, {
        [BASIC_EXECUTION_ROLE_FINDING]: 'CDK S3-notifications helper: the AWS-managed basic execution role only writes its own logs.',
      });
    }
  }
}
