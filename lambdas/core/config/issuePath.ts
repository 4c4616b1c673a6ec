/** An issue's path as a field name for messages, `sections[0].name` (no schema library here: the Lambda bundles import it without the configuration schema). */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}
