export { clockNotBefore, systemClock, type Clock } from './clock.js';
export { dueAction, INLINE_WAIT_MS, MAX_DELAY_SECONDS, type DueAction, type PublicationDelayer } from './publicationDelay.js';
export { isPublicationDue, parsePublicationDue, type PublicationDueParse } from './publicationDue.js';
export {
  PUBLICATION_DUE_SOURCE,
  publicationDueEvent,
  scheduleNameFor,
  type PublicationDueEvent,
  type PublicationScheduler,
  type ScheduledPublication,
} from './publicationScheduler.js';
export { scheduleDecision, type PublicationImage, type ScheduleDecision } from './scheduleDecision.js';
