/** Defers building dependencies to the first invocation, so importing a handler has no side effects. */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}
