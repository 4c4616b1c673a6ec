/** Minutes east of UTC written in an ISO 8601 date-time (`+05:30` -> 330, `Z` -> 0). */
function offsetMinutes(iso: string): number {
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function zoneLabel(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? '−' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * A date-time as the newsroom wrote it: the wall-clock time in the record's own offset, with that
 * offset named, e.g. "May 20, 2025, 12:00 UTC+05:30". Deterministic: no "now", no host time zone.
 */
export function dateTimeText(iso: string, language: string): string {
  const offset = offsetMinutes(iso);
  const wallClock = new Date(Date.parse(iso) + offset * 60_000);
  return `${formatterFor(language).format(wallClock)} ${zoneLabel(offset)}`;
}

/** One formatter per language, made once: building an Intl.DateTimeFormat costs far more than formatting with it. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(language: string): Intl.DateTimeFormat {
  let formatter = formatters.get(language);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23', timeZone: 'UTC' });
    formatters.set(language, formatter);
  }
  return formatter;
}
