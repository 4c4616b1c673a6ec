import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Effect, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { ENV, PUBLICATION_SCHEDULE_RETRY } from '../../lambdas/core/contracts/index.js';
import { acknowledge } from '../nag.js';
import { DeadLetterQueue } from './deadLetterQueue.js';

/** What the function that manages the schedules may do, on its group's schedules only. */
export const SCHEDULE_MANAGEMENT_ACTIONS = ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'];
/** Retries of the function's asynchronous run (Lambda) of a schedule's invocation, which the scheduler retries by PUBLICATION_SCHEDULE_RETRY. */
export const SCHEDULE_RETRY = { maximumEventAge: Duration.seconds(PUBLICATION_SCHEDULE_RETRY.maximumEventAgeSeconds), asyncRetryAttempts: 2 };

export interface PublicationSchedulesProps {
  /** The regeneration function: it manages the schedules (from its stream path) and is their target. */
  target: LambdaFunction;
}

/**
 * Scheduled (embargoed) articles: one EventBridge Scheduler one-time schedule per article, in this
 * group, created, moved and deleted by the regeneration function as the article changes and deleted
 * by the scheduler once it ran. At the instant it invokes the regeneration function with the article
 * id and its feeds. A delivery the scheduler gave up on, and a run the function failed every retry
 * of, both land in one dead-letter queue, which the operations alarm watches like the others.
 */
export class PublicationSchedules extends Construct {
  readonly group: ScheduleGroup;
  /** The role EventBridge Scheduler assumes: it may invoke the target and nothing else. */
  readonly role: Role;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: PublicationSchedulesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const fn = props.target;
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters');
    // Destroyed with the stack: pending schedules would otherwise invoke a function that no longer exists.
    this.group = new ScheduleGroup(this, 'Group', { removalPolicy: RemovalPolicy.DESTROY });
    this.role = new Role(this, 'SchedulerRole', {
      description: 'Assumed by EventBridge Scheduler for scheduled articles: invokes the regeneration function only',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        // Confused-deputy guard: only schedules of this account's group may use the role.
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': this.group.scheduleGroupArn } },
      }),
    });
    // A separate policy (not the role's default one): the function's own policy names this role, so
    // the role itself must not name the function, or the template would have a dependency cycle.
    new Policy(this, 'SchedulerPolicy', {
      roles: [this.role],
      statements: [
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
        // The schedules' dead-letter queue: where the scheduler puts an invocation it could not deliver.
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [this.deadLetters.queue.queueArn] }),
      ],
    });

    const schedules = stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${this.group.scheduleGroupName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    fn.addToRolePolicy(new PolicyStatement({ actions: SCHEDULE_MANAGEMENT_ACTIONS, resources: [schedules] }));
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['iam:PassRole'], resources: [this.role.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } } }),
    );
    fn.addEnvironment(ENV.publicationScheduleGroup, this.group.scheduleGroupName);
    fn.addEnvironment(ENV.publicationScheduleRoleArn, this.role.roleArn);
    fn.addEnvironment(ENV.publicationScheduleDeadLetterArn, this.deadLetters.queue.queueArn);
    // The scheduler invokes asynchronously: a run that fails every Lambda retry goes to the same queue.
    fn.configureAsyncInvoke({
      retryAttempts: SCHEDULE_RETRY.asyncRetryAttempts,
      maxEventAge: SCHEDULE_RETRY.maximumEventAge,
      onFailure: new SqsDestination(this.deadLetters.queue),
    });

    acknowledge(fn, {
      // The group's name is generated at synth time (a literal in the template), so the finding names it.
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${String(stack.resolve(this.group.scheduleGroupName))}/*]`]:
        'Schedules of the stack\'s own group only: one one-time schedule per scheduled article, named after the article, so the names are not known in advance.',
    });
  }
}
