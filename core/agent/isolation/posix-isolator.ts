import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Clock, TimerHandle } from '../../clock/clock.ts';
import type { Logger } from '../../logging/logger.ts';
import type { IsolationContext, Isolator, IsolatorLaunch, IsolatorUsage, Limitation } from '../isolator.ts';
import { groupExists, isErrno, signalGroup } from '../proc-stat.ts';
import { formatMb, memoryLimitation, memoryLimitBytes } from './resource-limits.ts';

export interface PosixIsolatorOptions {
  /** How often the task's processes are measured (and killed when over their memory). */
  pollMs: number;
  clock: Clock;
  log: Logger;
}

/** One process's counters from /proc/<pid>/stat. */
export interface ProcUsage {
  pgrp: number;
  state: string;
  /** utime + stime, and the same of its waited-for children (cutime + cstime), in clock ticks. */
  userTicks: number;
  systemTicks: number;
  rssPages: number;
}

/** Parses the fields after the command name: state (3), pgrp (5), utime…cstime (14-17), rss (24). Pure. */
export function parseProcUsage(stat: string): ProcUsage | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = stat.slice(close + 2).split(' ');
  const n = (field: number) => Number(f[field - 3]);
  const usage = { pgrp: n(5), state: f[0], userTicks: n(14) + n(16), systemTicks: n(15) + n(17), rssPages: n(24) };
  return Number.isFinite(usage.pgrp) && Number.isFinite(usage.rssPages) && Number.isFinite(usage.userTicks) ? usage : undefined;
}

interface Watched {
  ctx: IsolationContext;
  pgid: number;
  limitBytes?: number;
  last?: IsolatorUsage;
  limitation?: Limitation;
}

/**
 * Isolation for hosts without cgroups (non-root, macOS-like, a v2 hierarchy without controllers): rlimits where
 * they help and do not break runtimes, and RSS polling. Every `pollMs` it sums the resident memory and CPU times of
 * each task's live processes (its process group: the shim leads it) and kills a task over its `mem` with SIGKILL to
 * the group, which then ends FAILED with REASON_CONTAINER_LIMITATION_MEMORY. A task can exceed its limit between two
 * polls, and a process that leaves the group (setsid) escapes the count: that is the price of no cgroups.
 *
 * rlimits: core dumps off (a crashing task would otherwise write its whole memory into the sandbox). Address-space
 * and data limits (RLIMIT_AS, RLIMIT_DATA) are not set: they count reserved virtual memory, which Node, the JVM and
 * Go reserve by gigabytes, so they would break ordinary tasks without bounding what is resident.
 */
export class PosixIsolator implements Isolator {
  readonly name = 'posix';
  private readonly watched = new Map<string, Watched>();
  private timer?: TimerHandle;
  private readonly pageSize = sysconf('PAGESIZE', 4096);
  private readonly ticksPerSecond = sysconf('CLK_TCK', 100);

  constructor(private readonly opts: PosixIsolatorOptions) {}

  async prepare(): Promise<IsolatorLaunch> {
    return { wrapperArgs: [], env: {}, setup: ['ulimit -c 0'] };
  }

  watch(ctx: IsolationContext, pgid: number): void {
    this.watched.set(ctx.runId, { ctx, pgid, limitBytes: memoryLimitBytes(ctx.task.resources) });
    this.timer ??= this.opts.clock.setInterval(() => this.poll(), this.opts.pollMs);
  }

  /** Measured now while the group lives; the last poll's figures once it is gone. */
  async usage(ctx: IsolationContext): Promise<IsolatorUsage | undefined> {
    const w = this.watched.get(ctx.runId);
    if (!w) return undefined;
    // An ended task (its final sample) must not cost a /proc scan: kill(-pgid, 0) says whether anything is left.
    if (!groupExists(w.pgid)) return w.last;
    const now = this.measure(new Set([w.pgid])).get(w.pgid);
    if (now) w.last = this.toUsage(now, w);
    return w.last;
  }

  async limitation(ctx: IsolationContext): Promise<Limitation | undefined> {
    return this.watched.get(ctx.runId)?.limitation;
  }

  async cleanup(ctx: IsolationContext): Promise<void> {
    this.watched.delete(ctx.runId);
    if (this.watched.size === 0) this.close();
  }

  close(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private poll(): void {
    const byGroup = new Map<number, Watched>();
    for (const w of this.watched.values()) if (!w.limitation) byGroup.set(w.pgid, w);
    if (byGroup.size === 0) return;
    let measured: Map<number, GroupUsage>;
    try {
      measured = this.measure(new Set(byGroup.keys()));
    } catch (e) {
      this.opts.log.warn({ err: e }, 'task processes could not be measured');
      return;
    }
    for (const [pgid, group] of measured) {
      const w = byGroup.get(pgid) as Watched;
      w.last = this.toUsage(group, w);
      const rss = w.last.memRssBytes ?? 0;
      if (w.limitBytes === undefined || rss <= w.limitBytes) continue;
      w.limitation = memoryLimitation(w.limitBytes, `its processes were using ${formatMb(rss)} of resident memory when the agent killed them`);
      this.opts.log.info({ taskId: w.ctx.task.taskId, rssBytes: rss, limitBytes: w.limitBytes }, 'task over its memory limit; killing it');
      signalGroup(pgid, 'SIGKILL');
    }
  }

  private toUsage(group: GroupUsage, w: Watched): IsolatorUsage {
    const usage: IsolatorUsage = {
      isolation: this.name,
      cpusUserTimeSecs: group.userTicks / this.ticksPerSecond,
      cpusSystemTimeSecs: group.systemTicks / this.ticksPerSecond,
      memRssBytes: group.rssPages * this.pageSize,
      memTotalBytes: group.rssPages * this.pageSize,
      processes: group.processes,
    };
    if (w.limitBytes !== undefined) usage.memLimitBytes = w.limitBytes;
    return usage;
  }

  /**
   * One pass over /proc: the live members of each wanted group, summed. Synchronous: procfs is kernel memory
   * (~20 µs a file), and one pass serves every task.
   */
  private measure(groups: ReadonlySet<number>): Map<number, GroupUsage> {
    const out = new Map<number, GroupUsage>();
    for (const name of readdirSync('/proc')) {
      if (name.charCodeAt(0) > 57 || name.charCodeAt(0) < 48) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      } catch (e) {
        if (isErrno(e, 'ENOENT') || isErrno(e, 'ESRCH')) continue;
        throw e;
      }
      const p = parseProcUsage(stat);
      if (!p || p.state === 'Z' || !groups.has(p.pgrp)) continue;
      const g = out.get(p.pgrp) ?? { userTicks: 0, systemTicks: 0, rssPages: 0, processes: 0 };
      g.userTicks += p.userTicks;
      g.systemTicks += p.systemTicks;
      g.rssPages += p.rssPages;
      g.processes++;
      out.set(p.pgrp, g);
    }
    return out;
  }
}

interface GroupUsage {
  userTicks: number;
  systemTicks: number;
  rssPages: number;
  processes: number;
}

function sysconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isInteger(value) && value > 0 ? value : fallback;
  } catch {
    return fallback; // no getconf: Linux's usual values
  }
}
