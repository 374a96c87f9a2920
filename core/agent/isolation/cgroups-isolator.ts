import { readdirSync } from 'node:fs';
import type { Clock, TimerHandle } from '../../clock/clock.ts';
import type { Logger } from '../../logging/logger.ts';
import { TaskReason } from '../../sdk/protocol.ts';
import type { IsolationContext, Isolator, IsolatorLaunch, IsolatorUsage, Limitation } from '../isolator.ts';
import { isErrno } from '../proc-stat.ts';
import type { CgroupLayout } from './cgroup-layout.ts';
import { removeCgroupDir, shellQuote } from './cgroup-files.ts';
import { cgroupLimits, memoryLimitation, memoryLimitBytes } from './resource-limits.ts';

export interface CgroupsIsolatorOptions {
  layout: CgroupLayout;
  /** Also cap CPU time at `cpus` (CFS quota), not only weigh it (shares). */
  hardCpuQuota: boolean;
  /** How often running tasks' OOM counters are checked. */
  pollMs: number;
  clock: Clock;
  log: Logger;
}

/** Attempts (and pause) to empty and remove a task's cgroups once it ended. */
const REMOVE_ATTEMPTS = 40;
const REMOVE_INTERVAL_MS = 25;

/**
 * One cgroup per task (Mesos' cgroups/mem + cgroups/cpu): the task's memory is capped at its `mem` (the kernel's
 * OOM killer enforces it), its CPU weighed by `cpus` (optionally capped). The executor shim joins the cgroups
 * itself before it forks the command (`setup`), so nothing of the task ever runs outside them.
 *
 * A task that reaches its memory limit is killed whole: the kernel kills one process (the largest); the next OOM
 * check (every `pollMs`) kills the rest, and `limitation` reports REASON_CONTAINER_LIMITATION_MEMORY from the OOM
 * counter, never from the exit status (a PID-namespace wrapper hides the signal). The cgroups are removed once the
 * task ended, after killing whatever still runs in them (processes that left the task's process group); after an
 * agent restart the tasks are still in their cgroups, the agent only resumes the checks (`watch`), and cgroups of
 * runs it no longer knows are killed and removed (`recovered`).
 */
export class CgroupsIsolator implements Isolator {
  readonly name: string;
  private readonly watched = new Map<string, { ctx: IsolationContext; killed: boolean }>();
  private timer?: TimerHandle;

  constructor(private readonly opts: CgroupsIsolatorOptions) {
    this.name = opts.layout.name;
  }

  async prepare(ctx: IsolationContext): Promise<IsolatorLaunch> {
    this.opts.layout.create(ctx.runId, cgroupLimits(ctx.task.resources, this.opts.hardCpuQuota));
    return { wrapperArgs: [], env: {}, setup: this.opts.layout.dirs(ctx.runId).map((dir) => `echo $$ >${shellQuote(`${dir}/cgroup.procs`)}`) };
  }

  watch(ctx: IsolationContext): void {
    this.watched.set(ctx.runId, { ctx, killed: false });
    this.timer ??= this.opts.clock.setInterval(() => this.checkOom(), this.opts.pollMs);
  }

  async usage(ctx: IsolationContext): Promise<IsolatorUsage | undefined> {
    return this.opts.layout.usage(ctx.runId);
  }

  async limitation(ctx: IsolationContext): Promise<Limitation | undefined> {
    const kills = this.opts.layout.oomKills(ctx.runId);
    if (!kills) return undefined;
    const how = `the kernel's OOM killer ended ${kills === 1 ? 'a process' : `${kills} processes`} of its cgroup`;
    const limit = memoryLimitBytes(ctx.task.resources) ?? this.opts.layout.usage(ctx.runId).memLimitBytes;
    // No limit of its own: the OOM came from above (the agent's or the host's memory), still a memory limitation.
    return limit === undefined ? { reason: TaskReason.CONTAINER_LIMITATION_MEMORY, message: `Memory exhausted: ${how}` } : memoryLimitation(limit, how);
  }

  async cleanup(ctx: IsolationContext): Promise<void> {
    this.unwatch(ctx.runId);
    if (!(await this.remove(ctx.runId))) {
      this.opts.log.warn({ taskId: ctx.task.taskId, cgroups: this.opts.layout.dirs(ctx.runId) }, 'task cgroups still busy; left for the next agent start');
    }
  }

  async recovered(runIds: ReadonlySet<string>): Promise<void> {
    const orphans = new Set<string>();
    for (const parent of this.opts.layout.parents) {
      for (const name of childCgroups(parent)) if (!runIds.has(name)) orphans.add(name);
    }
    for (const runId of orphans) {
      const killed = this.opts.layout.kill(runId);
      const removed = await this.remove(runId);
      this.opts.log.warn({ runId, killed, removed }, 'orphaned task cgroup killed and removed');
    }
  }

  close(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.watched.clear();
    // The agent's parent cgroups go once empty; busy (tasks left running) they stay for the next agent.
    for (const parent of this.opts.layout.parents) removeCgroupDir(parent);
  }

  private unwatch(runId: string): void {
    this.watched.delete(runId);
    if (this.watched.size === 0) {
      this.timer?.cancel();
      this.timer = undefined;
    }
  }

  /** A process of the task was OOM-killed: kill the rest, so the task ends and reports the limitation. */
  private checkOom(): void {
    for (const [runId, w] of this.watched) {
      if (w.killed) continue;
      let kills: number | undefined;
      try {
        kills = this.opts.layout.oomKills(runId);
      } catch (e) {
        this.opts.log.warn({ err: e, taskId: w.ctx.task.taskId }, 'cgroup OOM counter unreadable');
        continue;
      }
      if (!kills) continue;
      w.killed = true;
      const signalled = this.opts.layout.kill(runId);
      this.opts.log.info({ taskId: w.ctx.task.taskId, oomKills: kills, signalled }, 'task reached its memory limit; killing it');
    }
  }

  private async remove(runId: string): Promise<boolean> {
    for (let i = 0; i < REMOVE_ATTEMPTS; i++) {
      this.opts.layout.kill(runId);
      if (this.opts.layout.dirs(runId).map(removeCgroupDir).every(Boolean)) return true;
      await new Promise<void>((resolve) => this.opts.clock.setTimeout(resolve, REMOVE_INTERVAL_MS));
    }
    return false;
  }
}

/** Child cgroups (directories) of a parent cgroup; its control files are plain files. */
function childCgroups(parent: string): string[] {
  try {
    return readdirSync(parent, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return [];
    throw e;
  }
}
