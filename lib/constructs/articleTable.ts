import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ARTICLE_PK_PREFIX, authorPk, KEY, sectionPk, tagPk } from '../../lambdas/core/storage/keys.js';

/**
 * What ingest (the API and the content inbox) does on the table: GetItem of the stored version, and
 * one TransactWriteItems of Puts (article, feed entries) and Deletes (entries it left). IAM
 * authorizes a transaction by the actions inside it, so these three are all it needs.
 */
export const ARTICLE_WRITER_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'];
/** Partitions ingest (and the backfill) read and write: articles and their section, tag and author feed entries; never STATE#/ARCHIVE*. */
export const ARTICLE_WRITER_KEYS = [`${ARTICLE_PK_PREFIX}*`, sectionPk('*'), tagPk('*'), authorPk('*')];

/**
 * The articles (and their per-section feed entries), keyed as lambdas/core/storage/keys.ts says.
 * The stream carries old and new images: regeneration needs both to see a section an article left.
 */
export class ArticleTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: KEY.partition, type: AttributeType.STRING },
      sortKey: { name: KEY.sort, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      // The articles are the newsroom's data: a stack teardown must never take them along.
      removalPolicy: RemovalPolicy.RETAIN,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
  }

  /** Ingest's permissions: ARTICLE_WRITER_ACTIONS on the ARTICLE_WRITER_KEYS partitions only (no Scan, Query or batch writes). */
  grantArticleWriter(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ARTICLE_WRITER_ACTIONS,
        resources: [this.table.tableArn],
        // Single-item actions always carry their key, so the condition is never vacuously true.
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ARTICLE_WRITER_KEYS } },
      }),
    );
  }
}
