import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ArticleTable } from './articleTable.js';
import type { PublisherConfig } from '../../lambdas/core/config/index.js';
import { ENV } from '../../lambdas/core/contracts/index.js';
import { PublisherFunction } from './publisherFunction.js';

export interface IngestApiProps {
  articles: ArticleTable;
  publisher: PublisherConfig;
  logRetention: RetentionDays;
  /** Reserved concurrency of the function; undefined: none. */
  reservedConcurrency?: number;
  throttle: { rateLimit: number; burstLimit: number };
}

/** Fields of the HTTP API access log: who (IAM principal) did what, and how it ended. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userArn: '$context.identity.userArn',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);

/**
 * `POST /articles` and `DELETE /articles/{id}` behind an HTTP API whose every route requires a
 * SigV4-signed request (IAM authorization): no anonymous writes. The caller needs
 * `execute-api:Invoke` on this API, which the operator grants to the CMS's / editors' roles.
 */
export class IngestApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly handler: PublisherFunction;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: IngestApiProps) {
    super(scope, id);
    const fn = new PublisherFunction(this, 'Handler', {
      entry: 'ingest.ts',
      description: 'Validates and stores article records (POST /articles, DELETE /articles/{id})',
      environment: { [ENV.tableName]: props.articles.table.tableName, [ENV.publisherConfig]: JSON.stringify(props.publisher) },
      logRetention: props.logRetention,
      ...(props.reservedConcurrency !== undefined && { reservedConcurrentExecutions: props.reservedConcurrency }),
      memorySize: 1024,
      // HTTP API integrations time out at 30 s; finish (or fail) before the client gets a 503.
      timeout: Duration.seconds(29),
    });
    this.handler = fn;
    // Its own partitions of the table and nothing else: ingest never touches the feed bucket.
    props.articles.grantArticleWriter(fn.function);

    this.api = new HttpApi(this, 'Api', {
      description: 'Article ingest for the section feed publisher (IAM-authorized)',
      createDefaultStage: false,
      defaultAuthorizer: new HttpIamAuthorizer(),
    });
    const integration = new HttpLambdaIntegration('Ingest', fn.function);
    this.api.addRoutes({ path: '/articles', methods: [HttpMethod.POST], integration });
    this.api.addRoutes({ path: '/articles/{id}', methods: [HttpMethod.DELETE], integration });

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format: ACCESS_LOG_FORMAT },
    });
  }
}
