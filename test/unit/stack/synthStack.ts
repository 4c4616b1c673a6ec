import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadStackConfiguration } from '../../../lib/config/context.js';
import { PublisherStack } from '../../../lib/publisherStack.js';

/** The `context` of the repository's cdk.json: the configuration an operator deploys. */
export function cdkJsonContext(): Record<string, unknown> {
  return (JSON.parse(readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;
}

export interface SynthOptions {
  context?: Record<string, unknown>;
  /** Run esbuild for the functions (slow-ish); otherwise CDK uses placeholder assets. */
  bundle?: boolean;
  contentDir?: string;
  /** Cloud assembly directory (default: a temp dir CDK picks). */
  outdir?: string;
}

/** Builds (does not synthesize) the app the way bin/app.ts does, from context. */
export function buildPublisherApp(options: SynthOptions = {}): { app: App; stack: PublisherStack } {
  const app = new App({
    ...(options.outdir && { outdir: options.outdir }),
    context: {
      ...cdkJsonContext(),
      ...options.context,
      // `aws:cdk:bundling-stacks: []` is how `cdk synth --exclusively` skips bundling; '**' bundles all.
      'aws:cdk:bundling-stacks': options.bundle ? ['**'] : [],
      // As the CLI does: the template names each function's asset directory.
      'aws:cdk:enable-asset-metadata': true,
    },
  });
  const { publisher, deploy } = loadStackConfiguration(app.node);
  const stack = new PublisherStack(app, 'TestPublisher', { publisher, deploy, ...(options.contentDir && { contentDir: options.contentDir }) });
  return { app, stack };
}

/** Builds the stack the way bin/app.ts does, from context, and returns it with its template. */
export function synthPublisherStack(options: SynthOptions = {}): { app: App; stack: PublisherStack; template: Template } {
  const { app, stack } = buildPublisherApp(options);
  return { app, stack, template: Template.fromStack(stack) };
}

/** Logical id of a construct's CloudFormation resource, as the template names it. */
export function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } } | unknown): string {
  const target = (construct as { node?: { defaultChild?: unknown } }).node?.defaultChild ?? construct;
  return stack.resolve(stack.getLogicalId(target as never)) as string;
}

/** A synthesized template's resources, as the stack tests read them. */
// `any`: CloudFormation properties are free-form JSON.
export type Resources = Record<string, { Type: string; Properties: Record<string, any>; DependsOn?: string[]; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

/** The logical id of the IAM role a function runs as. */
export function roleOf(template: Template, functionLogicalId: string): string {
  return (template.toJSON().Resources as Resources)[functionLogicalId]!.Properties['Role']['Fn::GetAtt'][0] as string;
}

/** Every statement of every IAM policy attached to a role. */
// `any`: IAM statements are free-form JSON.
export function statementsOf(template: Template, roleLogicalId: string): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy') as Resources)
    .filter((p) => (p.Properties['Roles'] as { Ref: string }[]).some((r) => r.Ref === roleLogicalId))
    .flatMap((p) => p.Properties['PolicyDocument'].Statement as unknown[]);
}

/** A statement's actions, as a list (IAM allows a string or a list). */
export const actionsOf = (statement: { Action: string | string[] }): string[] => [statement.Action].flat();
