/**
 * Keeps an app's health check results on its RUNNING instances (`instance.health`): the first check runs on the
 * agent and arrives in status updates (`agentResult`); the others (and all of them for an instance launched before
 * its app's first check changed) run here, one timer chain per instance and check. Marathon's rules: failures inside the grace period count for
 * nothing until the first success; after `maxConsecutiveFailures` (0 = never) the instance is reported failed,
 * once, and the supervisor replaces it. A check never overlaps itself: the next run starts `intervalSeconds`
 * after the previous one started, or when it ends if it took longer.
 */
import type { Clock, TimerHandle } from '../../core/clock/clock.ts';
import type { Logger } from '../../core/logging/logger.ts';
import type { TaskStatus } from '../../core/sdk/index.ts';
import { applyAgentHealth } from './agent-health.ts';
import type { HealthCheckSpec } from './app-spec.ts';
import type { HealthCheckResult, Instance } from './apps-model.ts';
import type { HealthProbe, ProbeOutcome } from './health-probes.ts';

export interface HealthMonitorDeps {
  clock: Clock;
  logger: Logger;
  probe: HealthProbe;
  /** Where to reach an agent by its hostname. */
  address(hostname: string): string;
  /** The instance's overall health (`instanceHealthy`) changed. */
  onChange(instance: Instance): void;
  /** A check reached its `maxConsecutiveFailures`. Called once per instance. */
  onFailed(instance: Instance, cause: string): void;
}

/** True when every check passes, false when one fails, undefined without checks or before results count. */
export function instanceHealthy(instance: Pick<Instance, 'health'>): boolean | undefined {
  if (instance.health.length === 0) return undefined;
  if (instance.health.some((h) => h.alive === false)) return false;
  return instance.health.every((h) => h.alive === true) ? true : undefined;
}

/** The result after one probe outcome. Pure. `startedAt`: when the task became RUNNING. */
export function applyOutcome(r: HealthCheckResult, outcome: ProbeOutcome, check: HealthCheckSpec, startedAt: number, now: number): HealthCheckResult {
  if (outcome.ok) return { ...r, alive: true, consecutiveFailures: 0, firstSuccess: r.firstSuccess ?? now, lastSuccess: now };
  const cause = outcome.cause ?? 'failed';
  const inGrace = r.firstSuccess === undefined && now < startedAt + check.gracePeriodSeconds * 1000;
  if (inGrace) return { ...r, lastFailure: now, lastFailureCause: cause };
  return { ...r, alive: false, consecutiveFailures: r.consecutiveFailures + 1, lastFailure: now, lastFailureCause: cause };
}

/** Why an instance is doomed: the check, its failures, and whether it ever passed (a failed launch if not). */
export function failedCause(instance: Pick<Instance, 'healthyOnce'>, check: HealthCheckSpec, result: HealthCheckResult): string {
  const never = instance.healthyOnce ? '' : ` and never passed since the task started (grace period ${check.gracePeriodSeconds} s)`;
  return `${check.protocol} check failed ${result.consecutiveFailures} times${never}: ${result.lastFailureCause ?? 'failed'}`;
}

interface Watch {
  instance: Instance;
  checks: HealthCheckSpec[];
  env: Record<string, string>;
  timers: Array<TimerHandle | undefined>;
  stopped: boolean;
}

export class HealthMonitor {
  private readonly watches = new Map<string, Watch>();
  private readonly log: Logger;

  constructor(private readonly deps: HealthMonitorDeps) {
    this.log = deps.logger.child({ component: 'health-monitor' });
  }

  get size(): number {
    return this.watches.size;
  }

  /**
   * Starts checking a RUNNING instance (again, with these checks, if it was already watched). `agentRunsFirst`:
   * the agent runs checks[0] for this instance, whose results come through `agentResult`.
   */
  watch(instance: Instance, checks: HealthCheckSpec[], env: Record<string, string>, agentRunsFirst = false): void {
    this.unwatch(instance.taskId);
    if (checks.length === 0) {
      instance.health = [];
      return;
    }
    if (instance.health.length !== checks.length) instance.health = checks.map(() => ({ consecutiveFailures: 0 }));
    const from = agentRunsFirst ? 1 : 0;
    if (from >= checks.length) return;
    const w: Watch = { instance, checks, env, timers: checks.map(() => undefined), stopped: false };
    this.watches.set(instance.taskId, w);
    for (let i = from; i < checks.length; i++) this.schedule(w, i, 0);
  }

  /** A health update from the agent about checks[0] of a RUNNING instance. */
  agentResult(instance: Instance, check: HealthCheckSpec, status: Pick<TaskStatus, 'healthy' | 'healthFailures' | 'message'>): void {
    if (instance.health.length === 0) return;
    const before = instanceHealthy(instance);
    const result = applyAgentHealth(instance.health[0], status, this.deps.clock.now(), check);
    instance.health[0] = result;
    this.changed(instance, before);
    if (check.maxConsecutiveFailures > 0 && result.alive === false && result.consecutiveFailures >= check.maxConsecutiveFailures && !instance.doomed) {
      this.log.info({ taskId: instance.taskId, appId: instance.appId, cause: result.lastFailureCause, failures: result.consecutiveFailures, healthyOnce: Boolean(instance.healthyOnce) }, 'instance failed its health check (agent)');
      this.deps.onFailed(instance, failedCause(instance, check, result));
    }
  }

  /** After a result: marks an instance that passes all its checks as having been healthy; reports a change. */
  private changed(instance: Instance, before: boolean | undefined): void {
    const now = instanceHealthy(instance);
    if (now === true) instance.healthyOnce = true;
    if (now !== before) this.deps.onChange(instance);
  }

  unwatch(taskId: string): void {
    const w = this.watches.get(taskId);
    if (!w) return;
    w.stopped = true;
    for (const t of w.timers) t?.cancel();
    this.watches.delete(taskId);
  }

  stop(): void {
    for (const id of [...this.watches.keys()]) this.unwatch(id);
  }

  private schedule(w: Watch, index: number, delayMs: number): void {
    if (w.stopped) return;
    w.timers[index] = this.deps.clock.setTimeout(() => void this.run(w, index), delayMs);
  }

  private async run(w: Watch, index: number): Promise<void> {
    if (w.stopped) return;
    const check = w.checks[index];
    const started = this.deps.clock.now();
    let outcome: ProbeOutcome;
    try {
      outcome = await this.deps.probe(check, { host: this.deps.address(w.instance.hostname), ports: w.instance.ports, env: w.env });
    } catch (e) {
      outcome = { ok: false, cause: e instanceof Error ? e.message : String(e) };
    }
    if (w.stopped) return;
    const now = this.deps.clock.now();
    const before = instanceHealthy(w.instance);
    const result = applyOutcome(w.instance.health[index], outcome, check, w.instance.startedAt ?? started, now);
    w.instance.health[index] = result;
    this.changed(w.instance, before);
    if (check.maxConsecutiveFailures > 0 && result.consecutiveFailures >= check.maxConsecutiveFailures && !w.instance.doomed) {
      this.log.info({ taskId: w.instance.taskId, appId: w.instance.appId, cause: result.lastFailureCause, failures: result.consecutiveFailures, healthyOnce: Boolean(w.instance.healthyOnce) }, 'instance failed its health check');
      this.deps.onFailed(w.instance, failedCause(w.instance, check, result));
    }
    const intervalMs = check.intervalSeconds * 1000;
    this.schedule(w, index, Math.max(0, started + intervalMs - now));
  }
}
