import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../lambdas/core/contracts/index.js';
import type { PublisherStack } from '../../../lib/publisherStack.js';
import { logicalId, synthPublisherStack, type Resources } from './synthStack.js';

describe('feed backfill after deploy (CDK Trigger)', () => {
  let stack: PublisherStack;
  let template: Template;
  let resources: Resources;
  beforeAll(() => {
    ({ stack, template } = synthPublisherStack());
    resources = template.toJSON().Resources as Resources;
  }, 120_000);

  it('runs the backfill function synchronously, again whenever its version (code or publisher configuration) changes, after regeneration exists', () => {
    const triggers = Object.entries(resources).filter(([, r]) => r.Type === 'Custom::Trigger');
    expect(triggers).toHaveLength(1);
    const [, trigger] = triggers[0]!;
    const fnId = logicalId(stack, stack.backfill.handler.function);
    expect(trigger.Properties).toMatchObject({ InvocationType: 'RequestResponse', ExecuteOnHandlerChange: true, Timeout: String(15 * 60_000) });
    // A version ARN of the backfill function: a new configuration (its environment) is a new version.
    const version = resources[trigger.Properties['HandlerArn'].Ref]!;
    expect(version.Type).toBe('AWS::Lambda::Version');
    expect(version.Properties['FunctionName']).toEqual({ Ref: fnId });
    const env = resources[fnId]!.Properties['Environment'].Variables;
    expect(JSON.parse(env[ENV.publisherConfig]).automaticFeeds).toMatchObject({ tags: { enabled: true }, authors: { enabled: true } });
    // After the regeneration function and its stream mapping: they publish what the backfill rewrote.
    const mapping = Object.entries(resources).find(([, r]) => r.Type === 'AWS::Lambda::EventSourceMapping')![0];
    expect(trigger.DependsOn).toEqual(expect.arrayContaining([mapping, logicalId(stack, stack.regeneration.handler.function)]));
  });

  it('may write what ingest writes (ARTICLE#, SECTION#, TAG#, AUTHOR#) and Scan the table; nothing on S3 or the state items', () => {
    const roleId = resources[logicalId(stack, stack.backfill.handler.function)]!.Properties['Role']['Fn::GetAtt'][0] as string;
    const statements = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties['Roles'] as { Ref: string }[]).some((x) => x.Ref === roleId))
      .flatMap((p) => p.Properties['PolicyDocument'].Statement as { Action: string | string[]; Condition?: unknown }[]);
    const dynamo = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
    const tableArn = { 'Fn::GetAtt': [logicalId(stack, stack.articles.table), 'Arn'] };
    expect(dynamo).toEqual([
      {
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        Effect: 'Allow',
        Resource: tableArn,
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ARTICLE#*', 'SECTION#*', 'TAG#*', 'AUTHOR#*'] } },
      },
      { Action: 'dynamodb:Scan', Effect: 'Allow', Resource: tableArn },
    ]);
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('s3:') || a.startsWith('cloudfront:'))).toEqual([]);
  });
});
