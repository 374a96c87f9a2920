import { existsSync, mkdirSync } from 'node:fs';
import { err, ok, type Result } from '../../errors/result.ts';
import { isErrno } from '../proc-stat.ts';
import type { IsolatorUsage } from '../isolator.ts';
import type { CgroupLayout } from './cgroup-layout.ts';
import { killCgroupProcs, parseFlatKeyed, readCgroupFile, readCgroupNumber, removeCgroupDir, writeCgroupFile } from './cgroup-files.ts';
import { sharesToWeight, type CgroupLimits } from './resource-limits.ts';

const REQUIRED = ['memory', 'cpu'];
const OPTIONAL = ['pids'];

/**
 * cgroup v2 (one unified hierarchy) where it has the controllers: the memory and cpu controllers (pids when there)
 * are enabled down `<mount>/<root>/<agentKey>` (`cgroup.subtree_control`), and each task's leaf cgroup gets
 * `memory.max` (and `memory.swap.max` 0), `cpu.weight`, optionally `cpu.max`. OOM kills are counted in
 * `memory.events`; `cgroup.kill` ends every process at once. The hosts this was built on bind memory and cpu to v1
 * (their v2 hierarchy offers only hugetlb), so `open` refuses there and this path is untested on them.
 */
export class CgroupsV2Layout implements CgroupLayout {
  readonly name = 'cgroups/v2';
  readonly parents: string[];

  private constructor(
    private readonly parent: string,
    readonly controllers: string[],
  ) {
    this.parents = [parent];
  }

  static open(mount: string | undefined, relative: string): Result<CgroupsV2Layout, string> {
    if (mount === undefined) return err('no cgroup2 hierarchy is mounted');
    const available = (readCgroupFile(`${mount}/cgroup.controllers`) ?? '').trim().split(/\s+/);
    const missing = REQUIRED.filter((c) => !available.includes(c));
    if (missing.length > 0) return err(`the cgroup2 hierarchy at ${mount} lacks the ${missing.join(' and ')} controller (bound to v1?)`);
    const controllers = [...REQUIRED, ...OPTIONAL.filter((c) => available.includes(c))];
    const enable = controllers.map((c) => `+${c}`).join(' ');
    let dir = mount;
    try {
      // Each level delegates the controllers to its children; the task cgroups are leaves (no internal processes).
      for (const part of relative.split('/')) {
        writeCgroupFile(`${dir}/cgroup.subtree_control`, enable);
        dir = `${dir}/${part}`;
        mkdirSync(dir, { recursive: true });
      }
      writeCgroupFile(`${dir}/cgroup.subtree_control`, enable);
    } catch (e) {
      return err(`cannot prepare ${dir} in the cgroup2 hierarchy: ${(e as Error).message}`);
    }
    return ok(new CgroupsV2Layout(dir, controllers));
  }

  dirs(runId: string): string[] {
    return [`${this.parent}/${runId}`];
  }

  create(runId: string, limits: CgroupLimits): void {
    const dir = `${this.parent}/${runId}`;
    let made = false;
    try {
      try {
        mkdirSync(dir);
        made = true;
      } catch (e) {
        if (!isErrno(e, 'EEXIST')) throw e;
      }
      if (limits.memBytes !== undefined) {
        writeCgroupFile(`${dir}/memory.max`, String(limits.memBytes));
        if (existsSync(`${dir}/memory.swap.max`)) writeCgroupFile(`${dir}/memory.swap.max`, '0');
      }
      if (limits.cpuShares !== undefined) writeCgroupFile(`${dir}/cpu.weight`, String(sharesToWeight(limits.cpuShares)));
      if (limits.cpuQuotaUs !== undefined) writeCgroupFile(`${dir}/cpu.max`, `${limits.cpuQuotaUs} ${limits.cpuPeriodUs}`);
    } catch (e) {
      if (made) removeCgroupDir(dir);
      throw e;
    }
  }

  oomKills(runId: string): number | undefined {
    const text = readCgroupFile(`${this.parent}/${runId}/memory.events`);
    return text === undefined ? undefined : (parseFlatKeyed(text).get('oom_kill') ?? 0);
  }

  usage(runId: string): IsolatorUsage {
    const dir = `${this.parent}/${runId}`;
    const cpu = parseFlatKeyed(readCgroupFile(`${dir}/cpu.stat`));
    const usage: IsolatorUsage = {
      isolation: this.name,
      cpusUserTimeSecs: (cpu.get('user_usec') ?? 0) / 1e6,
      cpusSystemTimeSecs: (cpu.get('system_usec') ?? 0) / 1e6,
    };
    if (cpu.has('nr_periods')) {
      usage.cpusNrPeriods = cpu.get('nr_periods');
      usage.cpusNrThrottled = cpu.get('nr_throttled') ?? 0;
      usage.cpusThrottledTimeSecs = (cpu.get('throttled_usec') ?? 0) / 1e6;
    }
    const memStat = parseFlatKeyed(readCgroupFile(`${dir}/memory.stat`));
    const anon = memStat.get('anon');
    if (anon !== undefined) usage.memRssBytes = anon + (memStat.get('file_mapped') ?? 0);
    const total = readCgroupNumber(`${dir}/memory.current`);
    if (total !== undefined) usage.memTotalBytes = total;
    const peak = readCgroupNumber(`${dir}/memory.peak`);
    if (peak !== undefined) usage.memMaxTotalBytes = peak;
    const limit = readCgroupNumber(`${dir}/memory.max`); // "max" (unlimited) reads as undefined
    if (limit !== undefined) usage.memLimitBytes = limit;
    const oom = this.oomKills(runId);
    if (oom !== undefined) usage.memOomKills = oom;
    const processes = readCgroupNumber(`${dir}/pids.current`);
    if (processes !== undefined) usage.processes = processes;
    return usage;
  }

  kill(runId: string): number {
    const dir = `${this.parent}/${runId}`;
    const signalled = killCgroupProcs(dir);
    if (existsSync(`${dir}/cgroup.kill`)) writeCgroupFile(`${dir}/cgroup.kill`, '1'); // also catches forks in flight
    return signalled;
  }
}
