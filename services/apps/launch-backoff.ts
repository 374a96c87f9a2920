/**
 * Marathon's launch backoff, pure: after each failure of an app's task the next launch waits
 * `backoffSeconds × backoffFactor^(failures − 1)`, capped at `maxLaunchDelaySeconds`. Reset by a new task
 * config (a deployment) and by an instance that stayed up (`STABLE_MS`), so one crash after days of uptime
 * waits `backoffSeconds`, not the cap.
 */
export interface BackoffState {
  /** Consecutive failures counted since the last reset. */
  failures: number;
  /** Delay that applies after the last failure. */
  delayMs: number;
  /** No launch before this time (ms since epoch); 0 when there is no delay. */
  until: number;
}

export interface BackoffPolicy {
  backoffSeconds: number;
  backoffFactor: number;
  maxLaunchDelaySeconds: number;
}

/** An instance RUNNING (and healthy, when checked) this long resets the backoff. */
export const STABLE_MS = 10_000;

export const NO_BACKOFF: BackoffState = Object.freeze({ failures: 0, delayMs: 0, until: 0 });

export function delayAfter(failures: number, p: BackoffPolicy): number {
  if (failures <= 0) return 0;
  const seconds = p.backoffSeconds * Math.pow(p.backoffFactor, failures - 1);
  return Math.round(Math.min(seconds, p.maxLaunchDelaySeconds) * 1000);
}

export function recordFailure(state: BackoffState, p: BackoffPolicy, now: number): BackoffState {
  const failures = state.failures + 1;
  const delayMs = delayAfter(failures, p);
  return { failures, delayMs, until: now + delayMs };
}

/** Milliseconds until launches may resume; 0 when they may now. */
export function remainingMs(state: BackoffState, now: number): number {
  return Math.max(0, state.until - now);
}
