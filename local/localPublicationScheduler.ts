import { publicationDueEvent, type PublicationDueEvent, type PublicationScheduler, type ScheduledPublication } from '../lambdas/core/schedule/index.js';

/** setTimeout's longest delay (about 24.8 days); a later instant is reached in hops. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export interface LocalPublicationSchedulerOptions {
  /** Attempts of a failing publication before it is given up (and logged), backing off from retryDelayMs. */
  maxAttempts?: number;
  retryDelayMs?: number;
  onError?: (publication: ScheduledPublication, error: unknown, attempt: number) => void;
}

/**
 * The local stand-in for EventBridge Scheduler: one in-process timer per scheduled article, which at
 * the instant hands the very input a deployed schedule carries to the regeneration handler. Timers
 * live in memory; they survive a restart because start-up reconciliation feeds every stored article
 * through the regeneration path again, which arms the timers of those still in the future (and
 * publishes those that came due while the publisher was down).
 */
export class LocalPublicationScheduler implements PublicationScheduler {
  readonly minLeadMs = 0;
  private readonly timers = new Map<string, { publication: ScheduledPublication; timer: NodeJS.Timeout }>();
  private target?: (event: PublicationDueEvent) => Promise<void>;
  private closed = false;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: LocalPublicationSchedulerOptions = {}) {}

  /** Where due publications go: the regeneration function's publication-due handler. */
  connect(target: (event: PublicationDueEvent) => Promise<void>): void {
    this.target = target;
  }

  /** The armed timers, soonest first. */
  pending(): ScheduledPublication[] {
    return [...this.timers.values()].map((t) => t.publication).sort((a, b) => a.publishAt.localeCompare(b.publishAt));
  }

  async schedule(publication: ScheduledPublication): Promise<void> {
    this.clear(publication.articleId);
    if (!this.closed) this.arm(publication, 1);
  }

  async cancel(articleId: string): Promise<void> {
    this.clear(articleId);
  }

  /** Stops every timer and waits for publications already under way. */
  async close(): Promise<void> {
    this.closed = true;
    for (const id of [...this.timers.keys()]) this.clear(id);
    await Promise.allSettled([...this.running]);
  }

  private clear(articleId: string): void {
    const armed = this.timers.get(articleId);
    if (armed) clearTimeout(armed.timer);
    this.timers.delete(articleId);
  }

  private arm(publication: ScheduledPublication, attempt: number, delayMs = Date.parse(publication.publishAt) - Date.now()): void {
    const hop = Math.max(0, Math.min(delayMs, MAX_DELAY_MS));
    const timer = setTimeout(() => {
      if (this.timers.get(publication.articleId)?.timer !== timer) return;
      if (Date.parse(publication.publishAt) - Date.now() > 0 && attempt === 1) return this.arm(publication, attempt);
      this.timers.delete(publication.articleId);
      const run = this.fire(publication, attempt);
      this.running.add(run);
      void run.finally(() => this.running.delete(run));
    }, hop);
    timer.unref();
    this.timers.set(publication.articleId, { publication, timer });
  }

  private async fire(publication: ScheduledPublication, attempt: number): Promise<void> {
    try {
      if (!this.target) throw new Error('no publication target connected');
      await this.target(publicationDueEvent(publication));
    } catch (error) {
      this.options.onError?.(publication, error, attempt);
      // Retry unless a newer timer for the article replaced this one meanwhile.
      if (!this.closed && attempt < (this.options.maxAttempts ?? 5) && !this.timers.has(publication.articleId)) {
        this.arm(publication, attempt + 1, (this.options.retryDelayMs ?? 200) * 2 ** (attempt - 1));
      }
    }
  }
}
