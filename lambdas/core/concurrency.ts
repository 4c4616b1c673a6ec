/**
 * Runs `fn` over the list with at most `limit` calls in flight, each item once, in list order of
 * starting. After a failure no further item is started; once the started ones are done, the
 * first failure is thrown. The one bounded-concurrency loop of ingest, backfill and the archive.
 */
export async function forEachConcurrently<T>(list: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < list.length) {
      const i = next++;
      await fn(list[i]!, i).catch((error: unknown) => void (failure ??= { error }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
  if (failure) throw failure.error;
}
