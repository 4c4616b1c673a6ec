/** The shapes every suite reports in, and how a figure is judged against the targets. */

export type Status = 'pass' | 'miss' | 'info';

export interface Target {
  /** `<=`: the figure must not exceed `value`; `<`: must stay below it. */
  op: '<=' | '<';
  value: number;
  unit: string;
  /** The target as the issue words it. */
  text: string;
}

export interface Metric {
  /** Stable key, e.g. `render.ratio.50`. */
  key: string;
  label: string;
  value: number;
  unit: string;
  target?: Target;
  status: Status;
  note?: string;
}

export interface SuiteResult {
  id: string;
  title: string;
  seconds: number;
  metrics: Metric[];
  /** Everything else the suite measured (raw summaries, counts, parameters). */
  details: Record<string, unknown>;
  /** What the figures mean and, for a miss, why. */
  notes: string[];
}

export function metric(key: string, label: string, value: number, unit: string, target?: Target, note?: string): Metric {
  const status: Status = !target || !Number.isFinite(value) ? 'info' : (target.op === '<=' ? value <= target.value : value < target.value) ? 'pass' : 'miss';
  return { key, label, value, unit, ...(target && { target }), status, ...(note && { note }) };
}

export const atMost = (value: number, unit: string, text = `≤ ${value} ${unit}`.trim()): Target => ({ op: '<=', value, unit, text });
export const below = (value: number, unit: string, text = `< ${value} ${unit}`.trim()): Target => ({ op: '<', value, unit, text });
