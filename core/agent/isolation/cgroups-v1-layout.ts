import { existsSync, mkdirSync } from 'node:fs';
import { err, ok, type Result } from '../../errors/result.ts';
import { isErrno } from '../proc-stat.ts';
import type { IsolatorUsage } from '../isolator.ts';
import type { CgroupLayout } from './cgroup-layout.ts';
import type { CgroupMounts } from './cgroup-mounts.ts';
import { killCgroupProcs, parseFlatKeyed, readCgroupFile, readCgroupNumber, removeCgroupDir, writeCgroupFile } from './cgroup-files.ts';
import type { CgroupLimits } from './resource-limits.ts';

const REQUIRED = ['memory', 'cpu'] as const;
const OPTIONAL = ['cpuacct', 'pids'] as const;
type Controller = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];
/** USER_HZ: cpuacct.stat counts in 1/100 s on Linux. */
const USER_HZ = 100;
/** memory.limit_in_bytes reads back as a huge page-aligned number when unlimited. */
const UNLIMITED = 2 ** 62;

/**
 * cgroup v1 as mounted on these hosts: one hierarchy per controller (or co-mounted ones such as `cpu,cpuacct`).
 * memory: `memory.limit_in_bytes` (and `memory.memsw.limit_in_bytes` with swap accounting), OOM kills counted in `memory.oom_control` (`oom_kill`); cpu: `cpu.shares`,
 * `cpu.cfs_quota_us`/`cpu.cfs_period_us`, throttling in `cpu.stat`; cpuacct: user/system time; pids: count.
 */
export class CgroupsV1Layout implements CgroupLayout {
  readonly name = 'cgroups/v1';
  readonly controllers: string[];
  readonly parents: string[];

  private readonly limitSwap: boolean;

  private constructor(private readonly parentOf: Map<Controller, string>) {
    this.controllers = [...parentOf.keys()];
    this.parents = [...new Set(parentOf.values())];
    this.limitSwap = existsSync(`${parentOf.get('memory')}/memory.memsw.limit_in_bytes`);
  }

  /**
   * Creates the agent's parent cgroup `<mount>/<relative>` in each hierarchy; an error when memory or cpu is not
   * mounted or not writable (not root). cpuacct and pids are used when available.
   */
  static open(mounts: CgroupMounts, relative: string): Result<CgroupsV1Layout, string> {
    const parentOf = new Map<Controller, string>();
    for (const controller of [...REQUIRED, ...OPTIONAL]) {
      const mount = mounts.v1.get(controller);
      if (mount === undefined) {
        if ((REQUIRED as readonly string[]).includes(controller)) return err(`cgroup v1 controller ${controller} is not mounted`);
        continue;
      }
      const parent = `${mount}/${relative}`;
      try {
        mkdirSync(parent, { recursive: true });
      } catch (e) {
        if ((REQUIRED as readonly string[]).includes(controller)) return err(`cannot create ${parent}: ${(e as Error).message}`);
        continue;
      }
      parentOf.set(controller, parent);
    }
    return ok(new CgroupsV1Layout(parentOf));
  }

  dirs(runId: string): string[] {
    return this.parents.map((p) => `${p}/${runId}`);
  }

  create(runId: string, limits: CgroupLimits): void {
    const made: string[] = [];
    try {
      for (const dir of this.dirs(runId)) {
        try {
          mkdirSync(dir);
          made.push(dir);
        } catch (e) {
          if (!isErrno(e, 'EEXIST')) throw e;
        }
      }
      const memory = this.dir('memory', runId) as string;
      if (limits.memBytes !== undefined) {
        writeCgroupFile(`${memory}/memory.limit_in_bytes`, String(limits.memBytes));
        // With swap accounting, memory + swap gets the same cap: the task cannot swap its way past its limit.
        if (this.limitSwap) writeCgroupFile(`${memory}/memory.memsw.limit_in_bytes`, String(limits.memBytes));
      }
      const cpu = this.dir('cpu', runId) as string;
      if (limits.cpuShares !== undefined) writeCgroupFile(`${cpu}/cpu.shares`, String(limits.cpuShares));
      if (limits.cpuQuotaUs !== undefined) {
        writeCgroupFile(`${cpu}/cpu.cfs_period_us`, String(limits.cpuPeriodUs));
        writeCgroupFile(`${cpu}/cpu.cfs_quota_us`, String(limits.cpuQuotaUs));
      }
    } catch (e) {
      for (const dir of made.reverse()) removeCgroupDir(dir);
      throw e;
    }
  }

  oomKills(runId: string): number | undefined {
    const text = readCgroupFile(`${this.dir('memory', runId)}/memory.oom_control`);
    return text === undefined ? undefined : (parseFlatKeyed(text).get('oom_kill') ?? 0);
  }

  usage(runId: string): IsolatorUsage {
    const usage: IsolatorUsage = { isolation: this.name, cpusUserTimeSecs: 0, cpusSystemTimeSecs: 0 };
    const cpuacct = this.dir('cpuacct', runId);
    if (cpuacct !== undefined) {
      const user = readCgroupNumber(`${cpuacct}/cpuacct.usage_user`);
      const sys = readCgroupNumber(`${cpuacct}/cpuacct.usage_sys`);
      if (user !== undefined && sys !== undefined) {
        usage.cpusUserTimeSecs = user / 1e9;
        usage.cpusSystemTimeSecs = sys / 1e9;
      } else {
        const stat = parseFlatKeyed(readCgroupFile(`${cpuacct}/cpuacct.stat`));
        usage.cpusUserTimeSecs = (stat.get('user') ?? 0) / USER_HZ;
        usage.cpusSystemTimeSecs = (stat.get('system') ?? 0) / USER_HZ;
      }
    }
    const cpuStat = parseFlatKeyed(readCgroupFile(`${this.dir('cpu', runId)}/cpu.stat`));
    if (cpuStat.has('nr_periods')) {
      usage.cpusNrPeriods = cpuStat.get('nr_periods');
      usage.cpusNrThrottled = cpuStat.get('nr_throttled') ?? 0;
      usage.cpusThrottledTimeSecs = (cpuStat.get('throttled_time') ?? 0) / 1e9;
    }
    const memory = this.dir('memory', runId) as string;
    const memStat = parseFlatKeyed(readCgroupFile(`${memory}/memory.stat`));
    const rss = memStat.get('total_rss') ?? memStat.get('rss');
    if (rss !== undefined) usage.memRssBytes = rss;
    const total = readCgroupNumber(`${memory}/memory.usage_in_bytes`);
    if (total !== undefined) usage.memTotalBytes = total;
    const max = readCgroupNumber(`${memory}/memory.max_usage_in_bytes`);
    if (max !== undefined) usage.memMaxTotalBytes = max;
    const limit = readCgroupNumber(`${memory}/memory.limit_in_bytes`);
    if (limit !== undefined && limit < UNLIMITED) usage.memLimitBytes = limit;
    const oom = this.oomKills(runId);
    if (oom !== undefined) usage.memOomKills = oom;
    const pids = this.dir('pids', runId);
    const processes = pids === undefined ? undefined : readCgroupNumber(`${pids}/pids.current`);
    if (processes !== undefined) usage.processes = processes;
    return usage;
  }

  kill(runId: string): number {
    return killCgroupProcs(this.dir('memory', runId) as string);
  }

  private dir(controller: Controller, runId: string): string | undefined {
    const parent = this.parentOf.get(controller);
    return parent === undefined ? undefined : `${parent}/${runId}`;
  }
}
