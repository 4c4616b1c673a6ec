/** Articles that could not be rendered; the feed was published without them. */
export class PoisonArticlesError extends Error {
  override readonly name = 'PoisonArticlesError';
  constructor(
    readonly feed: string,
    readonly articles: { id: string; reason: string }[],
  ) {
    super(`Feed ${feed}: published without unrenderable articles ${articles.map((a) => `${a.id} (${a.reason})`).join(', ')}`);
  }
}

/** Another regeneration of the feed held its lease for longer than we could wait; retry later. */
export class FeedBusyError extends Error {
  override readonly name = 'FeedBusyError';
  constructor(readonly feed: string, waitedMs: number) {
    super(`Feed ${feed}: lease held by another regeneration for ${waitedMs} ms; will be retried`);
  }
}
