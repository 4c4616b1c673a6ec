import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge, BASIC_EXECUTION_ROLE_FINDING } from '../nag.js';
import { BUNDLE_ESBUILD_ARGS, ESM_REQUIRE_BANNER, MAIN_FIELDS } from './lambdaBundling.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Handler entry file under lambdas/handlers/, e.g. `ingest.ts`. */
export function handlerEntry(file: string): string {
  return fileURLToPath(new URL(`../../lambdas/handlers/${file}`, import.meta.url));
}


export interface PublisherFunctionProps {
  /** File name under lambdas/handlers/. */
  entry: string;
  description: string;
  environment: Record<string, string>;
  logRetention: RetentionDays;
  memorySize?: number;
  timeout?: Duration;
  /** Caps concurrent invocations (see Regeneration for why one may want exactly one). */
  reservedConcurrentExecutions?: number;
}

/** The one way this stack builds a Lambda: local esbuild, ESM, arm64, JSON logs into a retained-for-N-days group. */
export class PublisherFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;

  /** Source-mapped stack traces for every PublisherFunction under `scope` (deploy.sourceMaps). */
  static enableSourceMaps(scope: Construct): void {
    for (const c of scope.node.findAll()) if (c instanceof PublisherFunction) c.function.addEnvironment('NODE_OPTIONS', '--enable-source-maps');
  }

  constructor(scope: Construct, id: string, props: PublisherFunctionProps) {
    super(scope, id);
    // An explicit group (instead of the implicit /aws/lambda/... one) so retention is set and it is removed with the stack.
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.function = new NodejsFunction(this, 'Function', {
      entry: handlerEntry(props.entry),
      handler: 'handler',
      description: props.description,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      loggingFormat: LoggingFormat.JSON,
      // X-Ray: where an invocation's time goes (SDK calls appear as subsegments only if instrumented; the invocation itself always).
      tracing: Tracing.ACTIVE,
      ...(props.reservedConcurrentExecutions !== undefined && { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      logGroup: this.logGroup,
      // NODE_OPTIONS=--enable-source-maps only with deploy.sourceMaps (PublisherFunction.enableSourceMaps): it costs every cold start.
      environment: props.environment,
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        // File and line mapping without the sources themselves: a map a fraction of the size, read faster at load.
        sourcesContent: false,
        // esbuild's per-file size summary on every synth is noise (the bench reports bundle sizes); warnings still show.
        logLevel: LogLevel.WARNING,
        target: 'node22',
        mainFields: MAIN_FIELDS,
        // Stand-ins for code a function never runs (lambdaBundling.ts).
        esbuildArgs: BUNDLE_ESBUILD_ARGS,
        // Bundle the AWS SDK too: the exact versions the tests ran against, not whatever the runtime ships.
        externalModules: [],
      },
    });
    acknowledge(this.function, {
      [BASIC_EXECUTION_ROLE_FINDING]:
        'AWSLambdaBasicExecutionRole only allows creating log streams and putting log events; all data access is granted separately, least-privilege.',
      'AwsSolutions-IAM5[Resource::*]':
        'X-Ray tracing (Active): xray:PutTraceSegments and PutTelemetryRecords have no resource-level permissions; stream ListStreams (regeneration) neither.',
    });
  }
}
