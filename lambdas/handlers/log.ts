/** One JSON object per line: CloudWatch (Lambda JSON log format) and the local console both read it. */
export function log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, message, ...fields, ...(fields['error'] instanceof Error && { error: describeError(fields['error']) }) });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else if (process.env['LOG_LEVEL'] !== 'silent') console.info(line);
}

export function describeError(err: unknown): { name: string; message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
}
