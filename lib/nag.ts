import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The finding cdk-nag reports for the AWS-managed basic execution role every CDK-made Lambda role gets. */
export const BASIC_EXECUTION_ROLE_FINDING =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/** Acknowledges cdk-nag findings on a construct (and everything under it), each with its reason. */
export function acknowledge(scope: IConstruct, findings: Record<string, string>): void {
  for (const [id, reason] of Object.entries(findings)) Validations.of(scope).acknowledge({ id, reason });
}

/**
 * The way cdk-nag names a wildcard resource built on another resource's ARN:
 * `Resource::<LogicalId.Arn>/suffix`, e.g. `<FeedsF806B86C.Arn>/feeds/*`.
 */
export function arnWildcardFinding(resource: IConstruct, suffix: string): string {
  const cfn = resource instanceof CfnResource ? resource : (resource.node.defaultChild as CfnResource);
  const stack = Stack.of(cfn);
  return `AwsSolutions-IAM5[Resource::<${stack.resolve(stack.getLogicalId(cfn)) as string}.Arn>${suffix}]`;
}
