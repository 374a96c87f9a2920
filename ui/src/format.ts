/** Display formatting: times, durations, sizes and resource amounts. Pure; `now` is passed in. */
import type { Resources } from './api/types.ts';

export function fmtTime(iso: string | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone });
}

export function fmtDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function fmtAgo(iso: string | undefined, now: number): string {
  if (!iso) return '—';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const d = now - t;
  return d >= 0 ? `${fmtDuration(d)} ago` : `in ${fmtDuration(-d)}`;
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function fmtNumber(n: number, digits = 2): string {
  return Number.isInteger(n) ? n.toLocaleString() : n.toLocaleString(undefined, { maximumFractionDigits: digits });
}

/** `mem` and `disk` are MB in the API. */
export function fmtScalar(name: string, v: number): string {
  if (name === 'mem' || name === 'disk') return v >= 1024 ? `${fmtNumber(v / 1024, 1)} GB` : `${fmtNumber(v, 0)} MB`;
  return fmtNumber(v);
}

export function fmtPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction > 0 && fraction < 0.01 ? 2 : 1)}%`;
}

export function rangeSize(ranges: ReadonlyArray<readonly [number, number]> | undefined): number {
  return (ranges ?? []).reduce((n, [a, b]) => n + (b - a + 1), 0);
}

export function fmtRanges(ranges: ReadonlyArray<readonly [number, number]> | undefined): string {
  return (ranges ?? []).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ') || 'none';
}

/** Mesos text form, as the API takes it: `cpus:0.5;mem:64;ports:[31000-31000]`. */
export function fmtResources(r: Resources): string {
  const parts = [
    ...Object.entries(r.scalars).map(([k, v]) => `${k}:${fmtNumber(v, 3)}`),
    ...Object.entries(r.ranges).map(([k, v]) => `${k}:[${v.map(([a, b]) => `${a}-${b}`).join(',')}]`),
    ...Object.entries(r.sets).map(([k, v]) => `${k}:{${v.join(',')}}`),
  ];
  return parts.join(';') || 'none';
}

/** Compact: the time alone when it falls on the same day as `now` (in `timeZone`), else the date and hour. */
export function fmtTimeShort(iso: string | undefined, now: number, timeZone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const day = (t: Date): string => t.toLocaleDateString('en-CA', { timeZone });
  if (day(d) === day(new Date(now))) return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone });
  return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone });
}

/** Mesos task status reasons (core/sdk/protocol.ts TaskReason) as phrases; unknown codes are shown as they are. */
const TASK_REASONS: Record<string, string> = {
  REASON_COMMAND_EXECUTOR_FAILED: 'The command executor failed',
  REASON_CONTAINER_LAUNCH_FAILED: 'The task could not be started',
  REASON_CONTAINER_LIMITATION_MEMORY: 'Killed for using more memory than it asked for',
  REASON_EXECUTOR_TERMINATED: 'Its executor ended',
  REASON_TASK_INVALID: 'The task was refused as invalid',
  REASON_TASK_KILLED_DURING_LAUNCH: 'Killed while it was being launched',
  REASON_TASK_UNKNOWN: 'Its agent does not know the task',
  REASON_FRAMEWORK_REMOVED: 'Its framework was removed',
  REASON_AGENT_REMOVED: 'Its agent was removed',
  REASON_AGENT_DISCONNECTED: 'Its agent disconnected',
  REASON_AGENT_RESTARTED: 'Its agent restarted',
  REASON_INVALID_OFFERS: 'The offers it was launched with were no longer valid',
  REASON_RECONCILIATION: 'Reported by reconciliation',
  REASON_MAX_COMPLETION_TIME_REACHED: 'Ran past its maximum completion time',
  REASON_TASK_HEALTH_CHECK_STATUS_UPDATED: 'Health check result changed',
  REASON_FETCH_FAILED: 'Fetching its files (URIs) failed',
};

export function fmtTaskReason(code: string): string {
  return TASK_REASONS[code] ?? code;
}
