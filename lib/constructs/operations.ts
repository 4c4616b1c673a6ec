import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OperationsProps {
  /** Dead-letter queues by a name for the alarm: any message in one is work that failed for good. */
  deadLetterQueues: Record<string, IQueue>;
  /** Functions by a name for the alarm. */
  functions: Record<string, IFunction>;
  /** The stream consumer, whose falling behind (IteratorAge) delays every feed. */
  streamConsumer: IFunction;
  distribution: IDistribution;
  alarmEmail?: string;
}

/** Iterator age past which feeds are visibly late (editors expect seconds). */
export const ITERATOR_AGE_THRESHOLD_MS = 120_000;
/** Share of CloudFront responses that are 5xx, in percent. */
export const CLOUDFRONT_5XX_RATE_THRESHOLD = 5;

/** Alarms on everything that means "a feed is wrong, late or unreachable", sent to one SNS topic. */
export class Operations extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'AlarmTopic', { displayName: 'Section feed publisher alarms', enforceSSL: true });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry no data beyond alarm names; CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, and a customer key for this adds cost and a failure mode.',
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm(`${name}DeadLetters`, queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }), {
        threshold: 1,
        description: `${name}: messages in the dead-letter queue, i.e. work that failed every retry. Inspect, fix, redrive.`,
      });
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      this.alarm(`${name}Errors`, fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), {
        threshold: 1,
        description: `${name}: the function failed (see its log group).`,
      });
    }
    this.alarm('StreamIteratorAge', props.streamConsumer.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }), {
      threshold: ITERATOR_AGE_THRESHOLD_MS,
      evaluationPeriods: 3,
      description: 'Regeneration is behind the article stream: feeds are late.',
    });
    // CloudFront publishes its metrics in us-east-1 only (Region=Global): this alarm has data when the stack is deployed there.
    const fiveXx = new Metric({
      namespace: 'AWS/CloudFront',
      metricName: '5xxErrorRate',
      dimensionsMap: { DistributionId: props.distribution.distributionId, Region: 'Global' },
      statistic: 'Average',
      period: Duration.minutes(5),
    });
    this.alarm('CloudFront5xxRate', fiveXx, {
      threshold: CLOUDFRONT_5XX_RATE_THRESHOLD,
      evaluationPeriods: 2,
      description: 'Readers get 5xx from CloudFront: feeds unreachable.',
    });
  }

  private alarm(id: string, metric: IMetric, options: { threshold: number; description: string; evaluationPeriods?: number }): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
