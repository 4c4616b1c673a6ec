import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../lambdas/core/contracts/index.js';
import { SCHEDULE_MANAGEMENT_ACTIONS } from '../../../lib/constructs/publicationSchedules.js';
import { REGENERATION_TIMEOUT } from '../../../lib/constructs/regeneration.js';
import type { PublisherStack } from '../../../lib/publisherStack.js';
import { actionsOf, logicalId, statementsOf, synthPublisherStack, type Resources } from './synthStack.js';


describe('publication schedules (scheduled articles) in the stack', () => {
  let stack: PublisherStack;
  let template: Template;
  let resources: Resources;
  let fnId: string;
  let schedulerRoleId: string;
  let dlqId: string;
  let groupName: string;

  beforeAll(() => {
    ({ stack, template } = synthPublisherStack());
    resources = template.toJSON().Resources as Resources;
    fnId = logicalId(stack, stack.regeneration.handler.function);
    schedulerRoleId = logicalId(stack, stack.schedules.role);
    dlqId = logicalId(stack, stack.schedules.deadLetters.queue);
    groupName = stack.resolve(stack.schedules.group.scheduleGroupName) as string;
  });

  it('the regeneration function does not wait out a schedule\'s lead (up to two minutes): an early run is delayed on the publication-due queue', () => {
    const fn = resources[fnId]!;
    // A schedule fires within the minute that ends a minute before the instant: up to 120 s early, longer than the function runs.
    expect(fn.Properties['Timeout']).toBe(REGENERATION_TIMEOUT.toSeconds());
    expect(fn.Properties['Timeout']).toBeLessThan(120);
    expect(fn.Properties['Environment'].Variables[ENV.publicationDueQueueUrl]).toEqual({ Ref: logicalId(stack, stack.publicationDue.queue) });
  });

  it('one schedule group of the stack, removed with it', () => {
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    const [group] = Object.values(template.findResources('AWS::Scheduler::ScheduleGroup'));
    expect(group).toMatchObject({ DeletionPolicy: 'Delete', Properties: { Name: groupName } });
  });

  it('the scheduler role is assumable by EventBridge Scheduler for this account and group only', () => {
    const role = resources[schedulerRoleId]!;
    expect(role.Properties['AssumeRolePolicyDocument'].Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalId(stack, stack.schedules.group), 'Arn'] } },
        },
      },
    ]);
    expect(role.Properties['ManagedPolicyArns']).toBeUndefined();
    expect(role.Properties['Policies']).toBeUndefined();
  });

  it('the scheduler may invoke only its target (the regeneration function), and send only to its dead-letter queue', () => {
    const statements = statementsOf(template, schedulerRoleId);
    expect(statements.map((s) => ({ actions: actionsOf(s), resource: s.Resource, effect: s.Effect }))).toEqual([
      { actions: ['lambda:InvokeFunction'], resource: { 'Fn::GetAtt': [fnId, 'Arn'] }, effect: 'Allow' },
      { actions: ['sqs:SendMessage'], resource: { 'Fn::GetAtt': [dlqId, 'Arn'] }, effect: 'Allow' },
    ]);
  });

  it('the regeneration function manages schedules of its group only, and passes only the scheduler role, only to the scheduler', () => {
    const fnRole = resources[fnId]!.Properties['Role']['Fn::GetAtt'][0] as string;
    const statements = statementsOf(template, fnRole);
    const scheduler = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('scheduler:')));
    expect(scheduler).toHaveLength(1);
    expect(actionsOf(scheduler[0]).sort()).toEqual([...SCHEDULE_MANAGEMENT_ACTIONS].sort());
    expect(JSON.stringify(scheduler[0].Resource)).toContain(`:schedule/${groupName}/*`);
    const passRole = statements.filter((s) => actionsOf(s).includes('iam:PassRole'));
    expect(passRole).toEqual([
      {
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [schedulerRoleId, 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ]);
    // No other role may touch schedules or pass the scheduler role.
    const others = Object.entries(template.findResources('AWS::IAM::Policy') as Resources)
      .filter(([, p]) => !(p.Properties['Roles'] as { Ref: string }[]).some((r) => r.Ref === fnRole || r.Ref === schedulerRoleId))
      .flatMap(([, p]) => p.Properties['PolicyDocument'].Statement as any[]);
    expect(others.filter((s) => actionsOf(s).some((a) => a.startsWith('scheduler:') || a === 'iam:PassRole'))).toEqual([]);
  });

  it('tells the function its group, the role and the dead-letter queue', () => {
    const env = resources[fnId]!.Properties['Environment'].Variables;
    expect(env[ENV.publicationScheduleGroup]).toBe(groupName);
    expect(env[ENV.publicationScheduleRoleArn]).toEqual({ 'Fn::GetAtt': [schedulerRoleId, 'Arn'] });
    expect(env[ENV.publicationScheduleDeadLetterArn]).toEqual({ 'Fn::GetAtt': [dlqId, 'Arn'] });
  });

  it('a scheduled run that fails every asynchronous retry lands in the same dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 14 * 24 * 3600, SqsManagedSseEnabled: true });
  });

  it('alarms on the schedules\' dead-letter queue like on the other ones, to the alarm topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources)
      .map((a) => a.Properties)
      .filter((a) => JSON.stringify(a['Dimensions']).includes(dlqId));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: logicalId(stack, stack.operations.topic) }],
    });
  });
});
