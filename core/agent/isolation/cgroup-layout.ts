import type { IsolatorUsage } from '../isolator.ts';
import type { CgroupLimits } from './resource-limits.ts';

/**
 * Where one agent's task cgroups live and how to read and write them, for one cgroup version. The agent's own
 * parent cgroups (`<mount>/<root>/<agentKey>`) exist once the layout is opened; each task gets `<parent>/<runId>`
 * in every hierarchy it uses. All calls are synchronous cgroupfs I/O (see cgroup-files.ts).
 */
export interface CgroupLayout {
  /** Reported to the master: `cgroups/v1` or `cgroups/v2`. */
  readonly name: string;
  /** The controllers in use, e.g. `['memory', 'cpu', 'cpuacct', 'pids']`. */
  readonly controllers: string[];
  /** The agent's parent cgroups, one per hierarchy. */
  readonly parents: string[];
  /** The task's cgroups, one per hierarchy; the executor shim joins each before it forks the command. */
  dirs(runId: string): string[];
  /** Creates the task's cgroups and writes its limits; throws (after removing what it made) when it cannot. */
  create(runId: string, limits: CgroupLimits): void;
  /** How many of the task's processes the kernel OOM killer killed; undefined when the cgroup is gone. */
  oomKills(runId: string): number | undefined;
  usage(runId: string): IsolatorUsage;
  /** SIGKILL to every process in the task's cgroup; the number signalled. */
  kill(runId: string): number;
}
