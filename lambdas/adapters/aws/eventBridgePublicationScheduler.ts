import { createHash } from 'node:crypto';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { publicationDueEvent, scheduleNameFor, type PublicationScheduler, type ScheduledPublication } from '../../core/schedule/index.js';

export interface EventBridgeSchedulerSettings {
  /** The stack's schedule group: the only group the function may create schedules in. */
  groupName: string;
  /** Role EventBridge Scheduler assumes to invoke the target (which may invoke only that). */
  roleArn: string;
  /** The regeneration function (or whatever it is): known at invocation time, hence a function. */
  targetArn: () => string | undefined;
  /** Where an invocation that failed every retry goes. */
  deadLetterArn: string;
  maximumRetryAttempts?: number;
  maximumEventAgeSeconds?: number;
}

/** Due sooner than this, the regeneration function waits for the instant itself (schedules have one-minute precision). */
export const EVENTBRIDGE_MIN_LEAD_MS = 20_000;

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC, rounded up to the second: a schedule never fires for an instant not yet reached. */
export function atExpression(publishAt: string): string {
  const seconds = Math.ceil(Date.parse(publishAt) / 1000) * 1000;
  return `at(${new Date(seconds).toISOString().slice(0, 19)})`;
}

/**
 * One EventBridge Scheduler one-time schedule per scheduled article, in the stack's group: created,
 * moved (UpdateSchedule replaces it whole) and deleted from the regeneration path; it deletes itself
 * after it ran (ActionAfterCompletion DELETE). The client is created on first use only.
 */
export class EventBridgePublicationScheduler implements PublicationScheduler {
  readonly minLeadMs = EVENTBRIDGE_MIN_LEAD_MS;

  constructor(
    private readonly client: () => SchedulerClient,
    private readonly settings: EventBridgeSchedulerSettings,
  ) {}

  scheduleName(articleId: string): string {
    return scheduleNameFor(articleId, hash);
  }

  /** The whole schedule, as both CreateSchedule and UpdateSchedule take it. */
  scheduleInput(publication: ScheduledPublication): CreateScheduleCommandInput {
    const targetArn = this.settings.targetArn();
    if (!targetArn) throw new Error('the schedule target is not known yet (the function ARN comes with the first invocation)');
    return {
      Name: this.scheduleName(publication.articleId),
      GroupName: this.settings.groupName,
      Description: `Publishes article ${publication.articleId} at ${publication.publishAt}`.slice(0, 512),
      ScheduleExpression: atExpression(publication.publishAt),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: targetArn,
        RoleArn: this.settings.roleArn,
        Input: JSON.stringify(publicationDueEvent(publication)),
        DeadLetterConfig: { Arn: this.settings.deadLetterArn },
        RetryPolicy: { MaximumRetryAttempts: this.settings.maximumRetryAttempts ?? 10, MaximumEventAgeInSeconds: this.settings.maximumEventAgeSeconds ?? 3600 },
      },
    };
  }

  async schedule(publication: ScheduledPublication, hint: { exists: boolean } = { exists: false }): Promise<void> {
    const input = this.scheduleInput(publication);
    const create = () => this.client().send(new CreateScheduleCommand(input));
    const update = () => this.client().send(new UpdateScheduleCommand(input));
    // The likelier call first (a move updates, a new one creates); the other if the guess was wrong.
    try {
      await (hint.exists ? update() : create());
    } catch (error) {
      if (hint.exists && error instanceof ResourceNotFoundException) await create();
      else if (!hint.exists && error instanceof ConflictException) await update();
      else throw error;
    }
  }

  async cancel(articleId: string): Promise<void> {
    try {
      await this.client().send(new DeleteScheduleCommand({ Name: this.scheduleName(articleId), GroupName: this.settings.groupName }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}
