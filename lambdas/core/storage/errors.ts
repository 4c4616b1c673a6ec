/** An article write that kept losing optimistic-concurrency races; safe to retry later. */
export class WriteContentionError extends Error {
  override readonly name = 'WriteContentionError';
  constructor(readonly articleId: string, attempts: number) {
    super(`Article ${articleId}: gave up after ${attempts} concurrent-write retries`);
  }
}
