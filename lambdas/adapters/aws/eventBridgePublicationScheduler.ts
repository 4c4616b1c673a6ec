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
import { PUBLICATION_SCHEDULE_RETRY } from '../../core/contracts/index.js';
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

/** Due sooner than this, no schedule: the regeneration function delays the publication itself (schedules have one-minute precision). */
export const EVENTBRIDGE_MIN_LEAD_MS = 20_000;

/**
 * EventBridge Scheduler invokes a one-time schedule at some moment within the minute it names
 * (60-second precision). To publish at the instant and not up to a minute after it, the schedule
 * names the minute that ends at least a minute before the instant, and the invocation hands the
 * rest (0–120 s) to the publication-due queue as a delayed message (publishOrDelay) instead of
 * waiting it out. Too close for that
 * lead (a schedule may not name a past minute), it names the instant itself, rounded up to the second.
 */
export const EVENTBRIDGE_PRECISION_MS = 60_000;
/** A schedule never names a moment sooner than this from now. */
const SCHEDULE_MARGIN_MS = 5_000;

const hash = (text: string) => createHash('sha256').update(text).digest('hex');
const utcSeconds = (ms: number) => `at(${new Date(ms).toISOString().slice(0, 19)})`;

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC: a minute whose whole window ends by the instant, or the instant rounded up to the second. */
export function atExpression(publishAt: string, nowMs = Date.now()): string {
  const atMs = Date.parse(publishAt);
  const leadMinute = Math.floor(atMs / EVENTBRIDGE_PRECISION_MS) * EVENTBRIDGE_PRECISION_MS - EVENTBRIDGE_PRECISION_MS;
  if (leadMinute >= nowMs + SCHEDULE_MARGIN_MS) return utcSeconds(leadMinute);
  return utcSeconds(Math.ceil(atMs / 1000) * 1000);
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
    private readonly now: () => number = Date.now,
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
      ScheduleExpression: atExpression(publication.publishAt, this.now()),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: targetArn,
        RoleArn: this.settings.roleArn,
        Input: JSON.stringify(publicationDueEvent(publication)),
        DeadLetterConfig: { Arn: this.settings.deadLetterArn },
        RetryPolicy: {
          MaximumRetryAttempts: this.settings.maximumRetryAttempts ?? PUBLICATION_SCHEDULE_RETRY.maximumRetryAttempts,
          MaximumEventAgeInSeconds: this.settings.maximumEventAgeSeconds ?? PUBLICATION_SCHEDULE_RETRY.maximumEventAgeSeconds,
        },
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
