/**
 * Read models of the apps API (`/v1/apps…`, `/v1/deployments…`), built from the service's memory. Pure.
 * Absent fields are `undefined`, never deleted: JSON.stringify and the response serializer both leave them out,
 * and objects that keep one shape serialize several times faster (GET /v1/apps with 1,000 apps).
 */
import { currentAgentResult } from './agent-health.ts';
import { appSpecToJson } from './app-spec.ts';
import { isLive, type AppRuntime, type Deployment, type Instance } from './apps-model.ts';
import { instanceHealthy } from './health-monitor.ts';
import { remainingMs } from './launch-backoff.ts';

const iso = (t: number | undefined): string | undefined => (t === undefined ? undefined : new Date(t).toISOString());


export type AppStatus = 'RUNNING' | 'DEPLOYING' | 'SUSPENDED' | 'WAITING' | 'DELAYED' | 'DELETING';

export interface AppCounts {
  wanted: number;
  staged: number;
  running: number;
  /** RUNNING and passing every health check (Marathon's tasksHealthy): always 0 when the app has none. */
  healthy: number;
  unhealthy: number;
  killing: number;
  unreachable: number;
  /** Instances the supervisor wants launched and no offer has taken yet. */
  waiting: number;
  /** The app's number of health checks: 0 says `healthy` and `unhealthy` do not apply (shown as `-`). */
  healthChecks: number;
}

export function appCounts(rt: AppRuntime): AppCounts {
  const c: AppCounts = {
    wanted: rt.deleting ? 0 : rt.record.spec.instances,
    staged: 0,
    running: 0,
    healthy: 0,
    unhealthy: 0,
    killing: 0,
    unreachable: 0,
    waiting: rt.launchWanted,
    healthChecks: rt.record.spec.healthChecks.length,
  };
  for (const i of rt.instances.values()) {
    if (i.state === 'UNREACHABLE') c.unreachable++;
    if (!isLive(i.state)) continue;
    if (i.state === 'KILLING' || i.killRequestedAt !== undefined) c.killing++;
    else if (i.state === 'RUNNING') {
      // Healthy and unhealthy split the running ones: an instance being killed is neither, even while it still
      // runs and passes its checks (so healthy never exceeds running).
      c.running++;
      const h = instanceHealthy(i);
      if (h === true) c.healthy++;
      if (h === false) c.unhealthy++;
    } else c.staged++;
  }
  return c;
}

/**
 * DEPLOYING while a deployment runs; DELAYED while tasks keep failing (the backoff counts failures not yet
 * outlived by a stable instance) and not every wanted instance is up (`rt.ready`: healthy, or without checks
 * RUNNING for a moment), so a crash loop or an app whose tasks never pass their checks does not show RUNNING
 * between its relaunches; WAITING while instances are missing otherwise.
 */
export function appStatus(rt: AppRuntime, counts: AppCounts, now: number): AppStatus {
  if (rt.deleting) return 'DELETING';
  if (rt.deployment) return 'DEPLOYING';
  const wanted = rt.record.spec.instances;
  const live = counts.running + counts.staged;
  if (wanted === 0 && live === 0) return 'SUSPENDED';
  const up = rt.ready ?? (counts.healthChecks > 0 ? counts.healthy : counts.running);
  if (up < wanted && (rt.backoff.failures > 0 || remainingMs(rt.backoff, now) > 0)) return 'DELAYED';
  if (live < wanted) return 'WAITING';
  return 'RUNNING';
}

export function backoffView(rt: AppRuntime, now: number): Record<string, unknown> {
  const left = remainingMs(rt.backoff, now);
  return {
    failures: rt.backoff.failures,
    delaySeconds: rt.backoff.delayMs / 1000,
    remainingSeconds: left / 1000,
    launchAllowedAt: left > 0 ? iso(rt.backoff.until) : undefined,
  };
}

export function lastFailureView(rt: AppRuntime): Record<string, unknown> | undefined {
  const f = rt.lastFailure;
  return f && { taskId: f.taskId, state: f.state, message: f.message, at: iso(f.at), hostname: f.hostname, version: f.version };
}

export function appView(rt: AppRuntime, now: number): Record<string, unknown> {
  const counts = appCounts(rt);
  const d = rt.deployment;
  return {
    ...appSpecToJson(rt.record.spec),
    version: rt.record.version,
    versionInfo: rt.record.versionInfo,
    status: appStatus(rt, counts, now),
    counts,
    deployment: d ? { id: d.id, kind: d.kind, step: Math.min(d.currentStep + 1, d.steps.length), totalSteps: d.steps.length, action: d.steps[d.currentStep]?.action } : null,
    backoff: backoffView(rt, now),
    lastTaskFailure: lastFailureView(rt),
    waitingBecause: pendingSummary(rt, now),
  };
}

/**
 * The instance's check results as of `now`: the agent's (it reports changes only) are extrapolated while the
 * task runs and is not being killed or unreachable (`currentAgentResult`); the service's are current anyway.
 */
export function healthResultsView(i: Instance, now: number): Array<Record<string, unknown>> {
  const current = i.state === 'RUNNING' && i.killRequestedAt === undefined;
  return i.health.map((r) => (current ? currentAgentResult(r, now) : r)).map((h) =>
    ({
      alive: h.alive,
      consecutiveFailures: h.consecutiveFailures,
      firstSuccess: iso(h.firstSuccess),
      lastSuccess: iso(h.lastSuccess),
      lastFailure: iso(h.lastFailure),
      lastFailureCause: h.lastFailureCause,
    }),
  );
}

export function taskView(i: Instance, now: number): Record<string, unknown> {
  return {
    id: i.taskId,
    appId: i.appId,
    agentId: i.agentId,
    host: i.hostname,
    ports: i.ports,
    state: i.killRequestedAt !== undefined && isLive(i.state) ? 'KILLING' : i.state,
    healthy: instanceHealthy(i),
    healthCheckResults: healthResultsView(i, now),
    version: i.version,
    stagedAt: iso(i.stagedAt),
    startedAt: iso(i.startedAt),
    message: i.message,
    replacing: i.doomed,
    killReason: i.killReason,
  };
}

export function deploymentView(d: Deployment): Record<string, unknown> {
  return {
    id: d.id,
    appId: d.appId,
    version: d.version,
    fromVersion: d.from?.version,
    kind: d.kind,
    status: d.status,
    steps: d.steps,
    currentStep: Math.min(d.currentStep + 1, d.steps.length),
    totalSteps: d.steps.length,
    currentAction: d.status === 'RUNNING' ? d.steps[d.currentStep]?.action : undefined,
    progress: { tasksHealthy: d.tasksHealthy, tasksWanted: d.target?.spec.instances ?? 0, tasksOld: d.tasksOld, tasksLive: d.tasksLive ?? d.tasksHealthy + d.tasksOld, healthChecks: (d.target ?? d.from)?.spec.healthChecks.length ?? 0 },
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
    deadlineAt: d.status === 'RUNNING' ? iso(d.progressAt + d.progressDeadlineMs) : undefined,
    finishedAt: iso(d.finishedAt),
    reason: d.reason,
    rollbackOf: d.rollbackOf,
    rolledBackBy: d.rolledBackBy,
  };
}

/** One line: why instances of the app are not all running, or undefined when nothing waits. */
export function pendingSummary(rt: AppRuntime, now: number): string | undefined {
  const counts = appCounts(rt);
  const live = counts.running + counts.staged;
  const missing = Math.max(0, counts.wanted - live);
  if (rt.waitingBecause) return rt.waitingBecause;
  if (rt.launchWanted > 0) {
    if (rt.offerReasons.size > 0) return `${rt.launchWanted} instance(s) wait: no agent's offer fits (see the per-agent reasons)`;
    return `${rt.launchWanted} instance(s) wait for offers`;
  }
  if (missing > 0 && remainingMs(rt.backoff, now) > 0) return `backoff after ${rt.backoff.failures} failure(s)`;
  return undefined;
}

export function pendingView(rt: AppRuntime, now: number): Record<string, unknown> {
  const counts = appCounts(rt);
  const d = rt.deployment;
  return {
    appId: rt.record.spec.id,
    waiting: rt.launchWanted,
    missing: Math.max(0, counts.wanted - counts.running - counts.staged),
    summary: pendingSummary(rt, now),
    backoff: backoffView(rt, now),
    deployment: d ? { id: d.id, step: Math.min(d.currentStep + 1, d.steps.length), totalSteps: d.steps.length, action: d.steps[d.currentStep]?.action } : undefined,
    healthKillsPaused: rt.healthKillsPaused,
    lastOfferAt: iso(rt.lastOfferAt),
    agents: [...rt.offerReasons.values()]
      .sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0))
      .map((r) => ({ agentId: r.agentId, hostname: r.hostname, reason: r.reason, at: iso(r.at) })),
  };
}

/** `team`, `team==core`, `team!=core`, comma-separated (all must hold). Unparseable terms match nothing. */
export function labelSelector(selector: string | undefined): (labels: Record<string, string>) => boolean {
  if (!selector) return () => true;
  const terms = selector.split(',').map((t) => t.trim()).filter(Boolean).map((t) => {
    const ne = t.indexOf('!=');
    if (ne > 0) return (l: Record<string, string>) => l[t.slice(0, ne).trim()] !== t.slice(ne + 2).trim();
    const eq = t.indexOf('==');
    if (eq > 0) return (l: Record<string, string>) => l[t.slice(0, eq).trim()] === t.slice(eq + 2).trim();
    return (l: Record<string, string>) => Object.hasOwn(l, t);
  });
  return (labels) => terms.every((f) => f(labels));
}
