/** Articles that could not be rendered; the section was published without them. */
export class PoisonArticlesError extends Error {
  override readonly name = 'PoisonArticlesError';
  constructor(
    readonly section: string,
    readonly articles: { id: string; reason: string }[],
  ) {
    super(`Section ${section}: published without unrenderable articles ${articles.map((a) => `${a.id} (${a.reason})`).join(', ')}`);
  }
}

/** Another regeneration of the section held its lease for longer than we could wait; retry later. */
export class SectionBusyError extends Error {
  override readonly name = 'SectionBusyError';
  constructor(readonly section: string, waitedMs: number) {
    super(`Section ${section}: lease held by another regeneration for ${waitedMs} ms; will be retried`);
  }
}
