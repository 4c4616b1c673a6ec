import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge, BASIC_EXECUTION_ROLE_FINDING } from '../nag.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Handler entry file under lambdas/handlers/, e.g. `ingest.ts`. */
export function handlerEntry(file: string): string {
  return fileURLToPath(new URL(`../../lambdas/handlers/${file}`, import.meta.url));
}

/**
 * esbuild emits ESM; CommonJS dependencies bundled into it (gray-matter, sanitize-html's deps)
 * still call `require` for Node built-ins, which ESM lacks: this banner provides one.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire as __publisherCreateRequire } from 'node:module'; const require = __publisherCreateRequire(import.meta.url);";

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
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        // esbuild's per-file size summary on every synth is noise (the bench reports bundle sizes); warnings still show.
        logLevel: LogLevel.WARNING,
        target: 'node22',
        // ESM builds first (the AWS SDK's dist-es tree-shakes; its CommonJS dist does not).
        mainFields: ['module', 'main'],
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
