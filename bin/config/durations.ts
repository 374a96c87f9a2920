/** Durations of the config table (`90m`, `7d`, see DURATION in config-keys.ts) in milliseconds. */
import { DURATION } from './config-keys.ts';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

/** A duration already checked against DURATION (`90m`, `7d`) in ms. */
export function durationMs(value: string): number {
  const m = DURATION.exec(value);
  if (!m) throw new Error(`durationMs: '${value}' is not a duration (the config table checks it first)`);
  return Number(m[1]) * DURATION_UNITS[m[2]];
}
