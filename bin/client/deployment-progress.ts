/**
 * `--wait` of app changes: polls a deployment until it ends and shows its progress on stderr — a bar redrawn in
 * place on a terminal, a line per change otherwise (logs, CI) — so stdout keeps only the result. Exit 0 when the
 * deployment succeeded, 1 when it failed or was cancelled.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiProblem } from './api-client.ts';
import type { Ctx } from './command.ts';
import { duration } from './format.ts';
import { POLL_MS } from './follow-logs.ts';

export interface DeploymentView {
  id: string;
  appId: string;
  kind: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  currentStep: number;
  totalSteps: number;
  currentAction?: string;
  /** tasksLive and healthChecks: absent from servers before them. */
  progress: { tasksHealthy: number; tasksWanted: number; tasksOld: number; tasksLive?: number; healthChecks?: number };
  createdAt: string;
  reason?: string;
}

const WIDTH = 30;

/** What counts as done for the app: `healthy` with health checks, `running` (for a moment) without. */
export function readyWord(d: Pick<DeploymentView, 'progress'>): string {
  return d.progress.healthChecks === 0 ? 'running' : 'healthy';
}

/** More live tasks than wanted and none old: a scale-down, a suspend or a delete. */
function shrinking(d: DeploymentView): boolean {
  const { tasksWanted: wanted, tasksOld: old, tasksLive: live } = d.progress;
  return live !== undefined && live > wanted && old === 0;
}

/**
 * The counts of a deployment's progress; pure. Growing or replacing: `2/4 healthy, 1 old` (`running` for an app
 * without health checks). Shrinking: `running 3 → 1`, the live tasks against the target (`3/1 healthy` said
 * nothing).
 */
export function progressCounts(d: DeploymentView): string {
  const { tasksHealthy: ready, tasksWanted: wanted, tasksOld: old, tasksLive: live } = d.progress;
  if (shrinking(d)) return `running ${live} → ${wanted}`;
  return `${ready}/${wanted} ${readyWord(d)}${old ? `, ${old} old` : ''}`;
}

/** One progress line; pure. */
export function progressLine(d: DeploymentView, elapsedMs: number, bar: boolean): string {
  const { tasksHealthy: ready, tasksWanted: wanted, tasksOld: old, tasksLive: live } = d.progress;
  const done = shrinking(d) ? wanted / live! : wanted === 0 ? (old === 0 ? 1 : 0) : Math.min(1, ready / wanted);
  const filled = Math.round(done * WIDTH);
  const meter = bar ? `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ` : '';
  const step = d.totalSteps > 0 ? `, step ${d.currentStep}/${d.totalSteps}${d.currentAction ? ` ${d.currentAction}` : ''}` : '';
  return `${meter}${d.appId} ${d.kind}: ${progressCounts(d)}${step} (${duration(elapsedMs)})`;
}

export async function waitForDeployment(ctx: Ctx, deploymentId: string): Promise<number> {
  const tty = Boolean(process.stderr.isTTY);
  const started = Date.now();
  let last = '';
  for (;;) {
    let d: DeploymentView;
    try {
      d = await ctx.api.get<DeploymentView>(`/v1/deployments/${encodeURIComponent(deploymentId)}`, { signal: ctx.signal });
    } catch (e) {
      // A deployment overridden by a forced change is dropped by the server, not kept as finished.
      if (!(e instanceof ApiProblem) || e.status !== 404 || !last) throw e;
      if (tty) process.stderr.write('\n');
      ctx.err(`deployment ${deploymentId} is gone: a forced change replaced it (see: orrery deployments ls)\n`);
      return 1;
    }
    const line = progressLine(d, Date.now() - started, tty);
    if (tty) process.stderr.write(`\r\x1b[K${line}`);
    else if (line.replace(/ \([^)]*\)$/, '') !== last.replace(/ \([^)]*\)$/, '')) process.stderr.write(`${line}\n`);
    last = line;
    if (d.status !== 'RUNNING') {
      if (tty) process.stderr.write('\n');
      if (d.status === 'SUCCEEDED') {
        if (!ctx.json) ctx.out(`deployment ${d.id} succeeded: ${d.appId} has ${d.progress.tasksHealthy}/${d.progress.tasksWanted} instances ${readyWord(d)}\n`);
        return 0;
      }
      ctx.err(`deployment ${d.id} ${d.status.toLowerCase()}${d.reason ? `: ${d.reason}` : ''}\n`);
      return 1;
    }
    await sleep(POLL_MS, undefined, { signal: ctx.signal });
  }
}
