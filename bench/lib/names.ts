let counter = 0;

/** A table/bucket name unique to this run: lower-case letters, digits and hyphens, ≤ 40 chars. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`.slice(0, 40);
}
