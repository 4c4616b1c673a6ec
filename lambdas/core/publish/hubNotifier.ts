/**
 * Tells WebSub hubs that feeds changed. It never throws and never waits for a hub: at most for a
 * hand-off (to a queue), so a slow or dead hub never holds up or fails a publish.
 */
export interface HubNotifier {
  notify(topicUrls: string[]): Promise<void> | void;
}

/** What a queued WebSub notification carries (deployed: SQS, see the aws adapters): the changed feed URLs. */
export interface HubNotification {
  topicUrls: string[];
}

export interface PingOptions {
  timeoutMs: number;
  attempts: number;
  backoffMs: number;
}

const DEFAULT_PING: PingOptions = { timeoutMs: 3000, attempts: 3, backoffMs: 200 };

/**
 * One WebSub publish ping (`hub.mode=publish`, a `hub.url` per changed feed) to one hub, with a
 * timeout per attempt and bounded retries. Throws when every attempt failed.
 */
export async function pingHub(hub: string, topicUrls: string[], options: PingOptions = DEFAULT_PING): Promise<void> {
  const body = new URLSearchParams([['hub.mode', 'publish'], ...topicUrls.map((u) => ['hub.url', u] as [string, string])]);
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      const response = await fetch(hub, { method: 'POST', body, signal: AbortSignal.timeout(options.timeoutMs) });
      await response.arrayBuffer();
      if (response.ok) return;
      lastError = new Error(`hub answered ${response.status}`);
      if (response.status < 500 && response.status !== 429) break; // the hub refuses; retrying will not help
    } catch (err) {
      lastError = err;
    }
    if (attempt < options.attempts) await new Promise((r) => setTimeout(r, options.backoffMs * 2 ** (attempt - 1)));
  }
  throw new Error(`WebSub hub ${hub}: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}

/**
 * Pings in the background of this process (the local run): publishing goes on at once, failures
 * are logged, `idle()` lets a caller wait for the pings in flight.
 */
export class BackgroundHubNotifier implements HubNotifier {
  private readonly inFlight = new Set<Promise<void>>();
  constructor(
    private readonly hubs: readonly string[],
    private readonly options: PingOptions = DEFAULT_PING,
    private readonly onError: (error: unknown) => void = (e) => console.error(JSON.stringify({ level: 'warn', message: 'websub ping failed', error: String(e) })),
  ) {}

  notify(topicUrls: string[]): void {
    for (const hub of this.hubs) {
      const ping = pingHub(hub, topicUrls, this.options).catch(this.onError);
      this.inFlight.add(ping);
      void ping.finally(() => this.inFlight.delete(ping));
    }
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
