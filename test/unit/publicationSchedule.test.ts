import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { atExpression, EventBridgePublicationScheduler } from '../../lambdas/adapters/aws/eventBridgePublicationScheduler.js';
import {
  clockNotBefore,
  isPublicationDue,
  parsePublicationDue,
  publicationDueEvent,
  scheduleDecision,
  scheduleNameFor,
  type PublicationImage,
} from '../../lambdas/core/schedule/index.js';
import { entrySortKey, entrySortKeyBound } from '../../lambdas/core/storage/keys.js';
import { unqualifiedFunctionArn } from '../../lambdas/handlers/regenerate.js';
import { LocalPublicationScheduler } from '../../local/localPublicationScheduler.js';

const NOW = Date.parse('2026-12-03T07:00:00Z');
const image = (offsetMs: number, overrides: Partial<PublicationImage> = {}): PublicationImage => ({ published: true, publishedAtMs: NOW + offsetMs, feeds: ['section/international'], ...overrides });

describe('scheduleDecision: one timer per scheduled article, at its instant', () => {
  it('a new article with a future instant gets a timer; one in the past none', () => {
    expect(scheduleDecision('a', { new: image(60_000) }, NOW, 0)).toEqual({
      cancel: false,
      schedule: { articleId: 'a', publishAt: '2026-12-03T07:01:00.000Z', feeds: ['section/international'] },
    });
    expect(scheduleDecision('a', { new: image(-1) }, NOW, 0)).toEqual({ cancel: false });
    expect(scheduleDecision('a', { new: image(0) }, NOW, 0)).toEqual({ cancel: false });
  });

  it('moved later or earlier: the timer moves; moved into the past or retracted: it is removed', () => {
    expect(scheduleDecision('a', { old: image(60_000), new: image(120_000) }, NOW, 0).schedule?.publishAt).toBe('2026-12-03T07:02:00.000Z');
    expect(scheduleDecision('a', { old: image(120_000), new: image(5_000) }, NOW, 0).schedule?.publishAt).toBe('2026-12-03T07:00:05.000Z');
    expect(scheduleDecision('a', { old: image(60_000), new: image(-5_000) }, NOW, 0)).toEqual({ cancel: true });
    expect(scheduleDecision('a', { old: image(60_000), new: image(60_000, { published: false }) }, NOW, 0)).toEqual({ cancel: true });
    expect(scheduleDecision('a', { old: image(60_000) }, NOW, 0)).toEqual({ cancel: true });
  });

  it('an edit that keeps the instant and the feeds leaves the timer alone; a move to other feeds re-targets it', () => {
    expect(scheduleDecision('a', { old: image(60_000), new: image(60_000) }, NOW, 0)).toEqual({ cancel: false });
    const moved = scheduleDecision('a', { old: image(60_000), new: image(60_000, { feeds: ['tag/x', 'section/business'] }) }, NOW, 0);
    expect(moved.schedule?.feeds).toEqual(['section/business', 'tag/x']);
  });

  it('an already published article whose instant passed is left alone (no timer to touch)', () => {
    expect(scheduleDecision('a', { old: image(-60_000), new: image(-60_000) }, NOW, 0)).toEqual({ cancel: false });
  });

  it('due sooner than the scheduler can fire: no timer, the caller publishes at the instant', () => {
    expect(scheduleDecision('a', { new: image(5_000) }, NOW, 20_000)).toEqual({ cancel: false, publishAt: { atMs: NOW + 5_000, feeds: ['section/international'] } });
    expect(scheduleDecision('a', { old: image(600_000), new: image(5_000) }, NOW, 20_000)).toMatchObject({ cancel: true, publishAt: { atMs: NOW + 5_000 } });
  });
});

describe('the as-of bound of feed reads', () => {
  it('admits exactly the entries published at or before the instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: -5000, max: 5000 }), fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,40}$/), (asOf, delta, id) => {
        const key = entrySortKey(asOf + delta, id);
        expect(key < entrySortKeyBound(asOf)).toBe(asOf + delta <= asOf);
      }),
    );
  });

  it('clockNotBefore never reads before the instant a timer fired for', () => {
    const clock = clockNotBefore({ now: () => new Date(NOW - 300) }, NOW);
    expect(clock.now().toISOString()).toBe('2026-12-03T07:00:00.000Z');
    expect(clockNotBefore({ now: () => new Date(NOW + 5) }, NOW).now().getTime()).toBe(NOW + 5);
  });
});

describe('the publication-due event (a timer\'s input)', () => {
  const publication = { articleId: 'embargoed-story', publishAt: '2026-12-03T07:01:00.000Z', feeds: ['section/international', 'tag/russia'] };

  it('round-trips what a schedule carries', () => {
    const event = JSON.parse(JSON.stringify(publicationDueEvent(publication)));
    expect(isPublicationDue(event)).toBe(true);
    expect(parsePublicationDue(event)).toEqual({ ok: true, publication });
    expect(isPublicationDue({ Records: [] })).toBe(false);
  });

  it('names each bad field once', () => {
    expect(parsePublicationDue({ source: 'x' })).toEqual({ ok: false, errors: [{ field: 'publication', message: expect.any(String) }] });
    const parsed = parsePublicationDue({ publication: { articleId: 'Bad Id', publishAt: 'tomorrow', feeds: [] } });
    expect(parsed.ok ? [] : parsed.errors.map((e) => e.field)).toEqual(['publication.articleId', 'publication.publishAt', 'publication.feeds']);
  });
});

describe('EventBridge Scheduler one-time schedules', () => {
  const scheduler = new EventBridgePublicationScheduler(() => {
    throw new Error('no client in a unit test');
  }, {
    groupName: 'publisher-schedules',
    roleArn: 'arn:aws:iam::123456789012:role/scheduler',
    deadLetterArn: 'arn:aws:sqs:eu-west-1:123456789012:schedule-dlq',
    targetArn: () => 'arn:aws:lambda:eu-west-1:123456789012:function:regeneration',
  }, () => Date.parse('2026-12-03T06:00:00.000Z'));

  it('at(yyyy-mm-ddThh:mm:ss) in UTC naming the minute whose whole window ends a minute before the instant, so the invocation waits the rest', () => {
    const now = Date.parse('2026-12-03T06:00:00.000Z');
    // 60-second precision: the minute 07:00 fires between 07:00:00 and 07:00:59, never after 07:01:00.
    expect(atExpression('2026-12-03T07:01:00.000Z', now)).toBe('at(2026-12-03T07:00:00)');
    expect(atExpression('2026-12-03T07:01:59.999Z', now)).toBe('at(2026-12-03T07:00:00)');
    expect(atExpression('2027-01-01T00:00:30.000Z', now)).toBe('at(2026-12-31T23:59:00)');
  });

  it('too close for that lead, the instant itself rounded up to the second (never before it)', () => {
    const now = Date.parse('2026-12-03T07:00:10.000Z');
    expect(atExpression('2026-12-03T07:01:00.001Z', now)).toBe('at(2026-12-03T07:01:01)');
    expect(atExpression('2026-12-03T07:01:30.000Z', now)).toBe('at(2026-12-03T07:01:30)');
    // 07:01:00 is the lead minute of 07:02:xx and lies more than 5 s ahead.
    expect(atExpression('2026-12-03T07:02:10.000Z', now)).toBe('at(2026-12-03T07:01:00)');
  });

  it('one schedule per article in the group, deleted after it ran, invoking the target with the publication, with retries and a DLQ', () => {
    const input = scheduler.scheduleInput({ articleId: 'embargoed-story', publishAt: '2026-12-03T07:01:00.000Z', feeds: ['section/international'] });
    expect(input).toMatchObject({
      Name: 'a-embargoed-story',
      GroupName: 'publisher-schedules',
      ScheduleExpression: 'at(2026-12-03T07:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:regeneration',
        RoleArn: 'arn:aws:iam::123456789012:role/scheduler',
        DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-1:123456789012:schedule-dlq' },
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      },
    });
    expect(parsePublicationDue(JSON.parse(input.Target!.Input!))).toMatchObject({ ok: true, publication: { articleId: 'embargoed-story' } });
  });

  it('targets the function itself, unqualified (the ARN an invocation was made with may carry a version or alias)', () => {
    expect(unqualifiedFunctionArn('arn:aws:lambda:eu-west-1:123456789012:function:regeneration:live')).toBe('arn:aws:lambda:eu-west-1:123456789012:function:regeneration');
    expect(unqualifiedFunctionArn('arn:aws:lambda:eu-west-1:123456789012:function:regeneration')).toBe('arn:aws:lambda:eu-west-1:123456789012:function:regeneration');
  });

  it('schedule names fit the scheduler (1-64 of [0-9a-zA-Z-_.]) and never collide', () => {
    const hash = (t: string) => createHash('sha256').update(t).digest('hex');
    const ids = ['a', 'x'.repeat(62), 'x'.repeat(63), 'x'.repeat(128), `${'x'.repeat(127)}y`];
    const names = ids.map((id) => scheduleNameFor(id, hash));
    for (const name of names) expect(name).toMatch(/^[0-9a-zA-Z\-_.]{1,64}$/);
    expect(new Set(names).size).toBe(ids.length);
  });
});

describe('LocalPublicationScheduler', () => {
  it('hands the publication to its target at the instant; a cancelled or moved timer does not fire at the old one', async () => {
    const scheduler = new LocalPublicationScheduler();
    const fired: string[] = [];
    let done!: () => void;
    const keptFired = new Promise<void>((r) => (done = r));
    scheduler.connect(async (event) => {
      fired.push(`${event.publication.articleId}@${event.publication.publishAt}`);
      if (event.publication.articleId === 'kept') done();
    });
    const soon = new Date(Date.now() + 30).toISOString();
    const later = new Date(Date.now() + 120).toISOString();
    const last = new Date(Date.now() + 200).toISOString();
    await scheduler.schedule({ articleId: 'pulled', publishAt: soon, feeds: ['section/international'] });
    await scheduler.schedule({ articleId: 'moved', publishAt: soon, feeds: ['section/international'] });
    await scheduler.schedule({ articleId: 'kept', publishAt: last, feeds: ['section/international'] });
    await scheduler.cancel('pulled');
    await scheduler.schedule({ articleId: 'moved', publishAt: later, feeds: ['section/international'] });
    expect(scheduler.pending().map((p) => p.articleId).sort()).toEqual(['kept', 'moved']);
    await keptFired;
    await scheduler.close();
    expect(fired).toEqual([`moved@${later}`, `kept@${last}`]);
  });

  it('retries a publication that failed, then gives up and reports it', async () => {
    const errors: number[] = [];
    let gaveUp!: () => void;
    const finished = new Promise<void>((r) => (gaveUp = r));
    const scheduler = new LocalPublicationScheduler({
      maxAttempts: 3,
      retryDelayMs: 1,
      onError: (_p, _e, attempt) => {
        errors.push(attempt);
        if (attempt === 3) gaveUp();
      },
    });
    scheduler.connect(async () => {
      throw new Error('table away');
    });
    await scheduler.schedule({ articleId: 'flaky', publishAt: new Date().toISOString(), feeds: ['section/international'] });
    await finished;
    await scheduler.close();
    expect(errors).toEqual([1, 2, 3]);
    expect(scheduler.pending()).toEqual([]);
  });
});
