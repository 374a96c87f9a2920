/**
 * Marathon's launch backoff, pure: after each failure of an app's task the next launch waits
 * `backoffSeconds × backoffFactor^(failures − 1)`, capped at `maxLaunchDelaySeconds`. Reset by a new task
 * config (a deployment) and by an instance launched after the last failure that stayed up (`STABLE_MS`), so one
 * crash after days of uptime waits `backoffSeconds`, not the cap — while an instance that keeps dying within
 * seconds backs off however long (and healthy) its siblings have run.
 */
export interface BackoffState {
  /** Consecutive failures counted since the last reset. */
  failures: number;
  /** Delay that applies after the last failure. */
  delayMs: number;
  /** No launch before this time (ms since epoch); 0 when there is no delay. */
  until: number;
  /** When the last failure was counted (ms since epoch); 0 when none. */
  lastFailureAt: number;
}

export interface BackoffPolicy {
  backoffSeconds: number;
  backoffFactor: number;
  maxLaunchDelaySeconds: number;
}

/**
 * An instance launched after the last failure and RUNNING (and healthy, when checked) this long resets the
 * backoff. A task that dies sooner proves nothing, whatever its checks said; nor does a sibling that was up before.
 */
export const STABLE_MS = 10_000;

export const NO_BACKOFF: BackoffState = Object.freeze({ failures: 0, delayMs: 0, until: 0, lastFailureAt: 0 });

export function delayAfter(failures: number, p: BackoffPolicy): number {
  if (failures <= 0) return 0;
  const seconds = p.backoffSeconds * Math.pow(p.backoffFactor, failures - 1);
  return Math.round(Math.min(seconds, p.maxLaunchDelaySeconds) * 1000);
}

export function recordFailure(state: BackoffState, p: BackoffPolicy, now: number): BackoffState {
  const failures = state.failures + 1;
  const delayMs = delayAfter(failures, p);
  return { failures, delayMs, until: now + delayMs, lastFailureAt: now };
}

/** Milliseconds until launches may resume; 0 when they may now. */
export function remainingMs(state: BackoffState, now: number): number {
  return Math.max(0, state.until - now);
}

/** Whether an instance staged at `stagedAt` and RUNNING since `startedAt` shows the app stable at `now`. */
export function resetsBackoff(state: BackoffState, stagedAt: number, startedAt: number, now: number): boolean {
  return state.failures > 0 && stagedAt >= state.lastFailureAt && now - startedAt >= STABLE_MS;
}
