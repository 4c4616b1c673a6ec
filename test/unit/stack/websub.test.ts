import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../lambdas/core/contracts/index.js';
import { WEBSUB_BATCH_SIZE, WEBSUB_MAX_RECEIVE_COUNT } from '../../../lib/constructs/websub.js';
import type { PublisherStack } from '../../../lib/publisherStack.js';
import { actionsOf, logicalId, roleOf, statementsOf, synthPublisherStack, type Resources } from './synthStack.js';


const HUBS = ['https://pubsubhubbub.appspot.com/', 'https://websub.example.net/hub'];

describe('WebSub, with publisher.websubHubs configured', () => {
  let stack: PublisherStack;
  let template: Template;
  let resources: Resources;
  let queueArn: unknown;

  beforeAll(() => {
    ({ stack, template } = synthPublisherStack({ context: { 'publisher.websubHubs': JSON.stringify(HUBS) } }));
    resources = template.toJSON().Resources as Resources;
    queueArn = { 'Fn::GetAtt': [logicalId(stack, stack.websub!.queue), 'Arn'] };
  });

  it('creates an encrypted, TLS-only queue whose messages go to their own dead-letter queue after a few receives', () => {
    const websub = stack.websub!;
    const queue = resources[logicalId(stack, websub.queue)]!.Properties;
    expect(queue).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(stack, websub.deadLetters.queue), 'Arn'] }, maxReceiveCount: WEBSUB_MAX_RECEIVE_COUNT },
    });
    expect(WEBSUB_MAX_RECEIVE_COUNT).toBe(5);
    // Visibility timeout covers the consumer's timeout (Lambda refuses a mapping otherwise).
    const fn = resources[logicalId(stack, websub.handler.function)]!.Properties;
    expect(queue['VisibilityTimeout']).toBeGreaterThanOrEqual(fn['Timeout']);
    expect(resources[logicalId(stack, websub.deadLetters.queue)]!.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86400 });
    for (const q of [websub.queue, websub.deadLetters.queue]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(stack, q) }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    }
  });

  it('alarms when the WebSub dead-letter queue is not empty (and on the function\'s errors), to the alarm topic', () => {
    const topicRef = { Ref: logicalId(stack, stack.operations.topic) };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack, stack.websub!.deadLetters.queue), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topicRef],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(stack, stack.websub!.handler.function) } }],
      AlarmActions: [topicRef],
    });
  });

  it('the WebSub function: websubNotify.ts, PUBLISHER_CONFIG with the hubs, no VPC, consuming the queue in small batches with partial failures', () => {
    const fnId = logicalId(stack, stack.websub!.handler.function);
    const fn = resources[fnId]!.Properties;
    expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler', LoggingConfig: { LogFormat: 'JSON' } });
    expect(fn['VpcConfig']).toBeUndefined();
    expect(JSON.parse(fn['Environment'].Variables[ENV.publisherConfig]).websubHubs).toEqual(HUBS);
    expect(Object.keys(fn['Environment'].Variables)).toEqual([ENV.publisherConfig]);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId },
      EventSourceArn: queueArn,
      BatchSize: WEBSUB_BATCH_SIZE,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(WEBSUB_BATCH_SIZE).toBeLessThanOrEqual(10);
    // Its role reads the queue and sends traces, and touches no table, bucket or distribution.
    const actions = statementsOf(template, roleOf(template, fnId)).flatMap(actionsOf);
    expect(actions.filter((a) => !a.startsWith('sqs:')).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    expect(resources[fnId]!.Properties['ReservedConcurrentExecutions']).toBe(2);
  });

  it('the regeneration function gets WEBSUB_QUEUE_URL and may only sqs:SendMessage to that queue', () => {
    const regenId = logicalId(stack, stack.regeneration.handler.function);
    expect(resources[regenId]!.Properties['Environment'].Variables[ENV.websubQueueUrl]).toEqual({ Ref: logicalId(stack, stack.websub!.queue) });
    const onQueue = statementsOf(template, roleOf(template, regenId)).filter((s) => JSON.stringify(s.Resource) === JSON.stringify(queueArn));
    expect(onQueue).toEqual([{ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: queueArn }]);
  });

  it('has exactly one more function, two more queues and one more event source mapping than without hubs', () => {
    const { template: plain } = synthPublisherStack();
    const count = (t: Template, type: string) => Object.keys(t.findResources(type)).length;
    expect(count(template, 'AWS::SQS::Queue') - count(plain, 'AWS::SQS::Queue')).toBe(2);
    expect(count(template, 'AWS::Lambda::EventSourceMapping') - count(plain, 'AWS::Lambda::EventSourceMapping')).toBe(1);
    expect(count(template, 'AWS::Lambda::Function') - count(plain, 'AWS::Lambda::Function')).toBe(1);
    expect(count(template, 'AWS::CloudWatch::Alarm') - count(plain, 'AWS::CloudWatch::Alarm')).toBe(2);
    expect(JSON.stringify(plain.toJSON())).not.toContain(ENV.websubQueueUrl);
  });
});
