import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PUBLICATION_DUE_BATCH_SIZE, PUBLICATION_DUE_MAX_RECEIVE_COUNT } from '../../../lib/constructs/publicationDueQueue.js';
import type { PublisherStack } from '../../../lib/publisherStack.js';
import { actionsOf, logicalId, roleOf, statementsOf, synthPublisherStack, type Resources } from './synthStack.js';


/** Early scheduled publications handed back with DelaySeconds: the queue, its dead letters, its consumer, who may send to it. */
describe('publication-due queue (delayed scheduled publications) in the stack', () => {
  let stack: PublisherStack;
  let template: Template;
  let resources: Resources;
  let fnId: string;
  let queueId: string;
  let dlqId: string;

  beforeAll(() => {
    ({ stack, template } = synthPublisherStack());
    resources = template.toJSON().Resources as Resources;
    fnId = logicalId(stack, stack.regeneration.handler.function);
    queueId = logicalId(stack, stack.publicationDue.queue);
    dlqId = logicalId(stack, stack.publicationDue.deadLetters.queue);
  });

  it('the queue: SSE, a dead-letter queue after a bounded number of receives, a visibility timeout of six function timeouts', () => {
    const queue = resources[queueId]!.Properties;
    const timeout = resources[fnId]!.Properties['Timeout'] as number;
    expect(queue).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: timeout * 6,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: PUBLICATION_DUE_MAX_RECEIVE_COUNT },
    });
    // No message is held back by the queue itself: each carries its own DelaySeconds.
    expect(queue['DelaySeconds']).toBeUndefined();
    expect(resources[dlqId]!.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86400 });
  });

  it('both queues refuse requests without TLS', () => {
    for (const id of [queueId, dlqId]) {
      const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy') as Resources).filter((p) => (p.Properties['Queues'] as { Ref: string }[]).some((q) => q.Ref === id));
      expect(policies, id).toHaveLength(1);
      expect(policies[0]!.Properties['PolicyDocument'].Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('the regeneration function consumes it with partial batch failures, no batching window and no concurrency cap', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping') as Resources).filter((m) => JSON.stringify(m.Properties['EventSourceArn']).includes(queueId));
    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties).toEqual({
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: fnId },
      BatchSize: PUBLICATION_DUE_BATCH_SIZE,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('the regeneration role may SendMessage to this queue and to no other queue but the dead-letter destinations Lambda writes for it; never to this queue\'s dead letters', () => {
    const statements = statementsOf(template, roleOf(template, fnId));
    const sends = statements.filter((s) => actionsOf(s).includes('sqs:SendMessage') || actionsOf(s).includes('sqs:*'));
    expect(sends.map((s) => s.Resource)).toEqual([
      // Lambda's on-failure destinations: the stream mapping's and the asynchronous (schedule) invocations'.
      { 'Fn::GetAtt': [logicalId(stack, stack.regeneration.deadLetters.queue), 'Arn'] },
      { 'Fn::GetAtt': [logicalId(stack, stack.schedules.deadLetters.queue), 'Arn'] },
      { 'Fn::GetAtt': [queueId, 'Arn'] },
    ]);
    expect(sends.find((s) => s.Resource['Fn::GetAtt']?.[0] === queueId)).toEqual({ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    expect(JSON.stringify(statements)).not.toContain(dlqId);
    // What the event source mapping consumes with, on this queue only.
    const consume = statements.filter((s) => actionsOf(s).includes('sqs:ReceiveMessage'));
    expect(consume.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }]);
    expect(actionsOf(consume[0])).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']));
  });

  it('alarms on its dead-letter queue like on the other ones, to the alarm topic', () => {
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
    expect(JSON.stringify(template.toJSON().Outputs['PublicationDueDeadLetterQueueUrl'].Value)).toContain(dlqId);
  });
});
