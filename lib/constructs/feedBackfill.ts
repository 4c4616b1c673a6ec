import { type CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Trigger } from 'aws-cdk-lib/triggers';
import { Construct, type IConstruct } from 'constructs';
import { ENV } from '../../lambdas/core/contracts/index.js';
import type { PublisherConfig } from '../../lambdas/core/config/index.js';
import type { ArticleTable } from './articleTable.js';
import { PublisherFunction } from './publisherFunction.js';

export interface FeedBackfillProps {
  articles: ArticleTable;
  publisher: PublisherConfig;
  logRetention: RetentionDays;
  /** Runs after these exist (the regeneration function and its stream mapping: it publishes what the backfill touched). */
  executeAfter: IConstruct[];
}

/** The backfill may take long on a large table; a Trigger waits at most this (Lambda's ceiling). */
const TIMEOUT = Duration.minutes(15);

/**
 * Fills feeds that come into being from the articles already stored (lambdas/handlers/backfill.ts),
 * by a CDK Trigger after deploy. The publisher configuration is in the function's environment, so
 * a changed configuration is a new function version and the Trigger runs again; an unchanged one
 * does not run it.
 */
export class FeedBackfill extends Construct {
  readonly handler: PublisherFunction;
  readonly trigger: Trigger;

  constructor(scope: Construct, id: string, props: FeedBackfillProps) {
    super(scope, id);
    this.handler = new PublisherFunction(this, 'Handler', {
      entry: 'backfill.ts',
      description: 'After a deploy: rewrites stored articles\' feed entries by the current configuration, so new tag, author and section feeds are filled',
      environment: { [ENV.tableName]: props.articles.table.tableName, [ENV.publisherConfig]: JSON.stringify(props.publisher) },
      logRetention: props.logRetention,
      timeout: TIMEOUT,
    });
    const fn = this.handler.function;
    // Ingest's writes (article item and entries in one transaction, leading keys ARTICLE#, SECTION#, TAG#, AUTHOR#) …
    props.articles.grantArticleWriter(fn);
    // … and one Scan of the table to find the articles (the filter keeps ARTICLE# items).
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Scan'], resources: [props.articles.table.tableArn] }));
    this.trigger = new Trigger(this, 'Trigger', { handler: fn, executeAfter: props.executeAfter, executeOnHandlerChange: true, timeout: TIMEOUT });
    this.retainTriggerProviderLogs(props.logRetention);
  }

  /** Id of the singleton provider function CDK adds to a stack for Triggers. */
  static readonly TRIGGER_PROVIDER_ID = 'AWSCDK.TriggerCustomResourceProviderCustomResourceProvider';

  /** CDK's trigger provider takes no log settings: its /aws/lambda/{name} group with the stack's retention, made before it runs. */
  private retainTriggerProviderLogs(retention: RetentionDays): void {
    const stack = Stack.of(this);
    const fn = stack.node.tryFindChild(FeedBackfill.TRIGGER_PROVIDER_ID)?.node.tryFindChild('Handler') as CfnResource | undefined;
    if (!fn) return;
    const logs = new LogGroup(stack, 'TriggerProviderLogs', { logGroupName: `/aws/lambda/${fn.ref}`, retention, removalPolicy: RemovalPolicy.DESTROY });
    this.trigger.node.addDependency(logs);
  }
}
