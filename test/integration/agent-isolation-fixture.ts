/** Shared pieces of the agent isolation tests: host capabilities (said aloud when missing), tasks, cgroup probes. */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { readCgroupMounts } from '../../core/agent/isolation/cgroup-mounts.ts';
import { PidNamespaceIsolator } from '../../core/agent/isolation/pid-namespace-isolator.ts';
import { cgroupsUnavailableReason } from '../../core/agent/isolation/select-isolators.ts';
import type { TaskInfo } from '../../core/sdk/protocol.ts';
import { argvTask, sandboxOf } from '../helpers/agent-fixture.ts';
import { waitFor } from '../helpers/wait-for.ts';

export const FW = 'fw-iso';
export const MB = 1024 * 1024;
/** Node allocating and touching 256 MB, then holding it. */
export const HOG = `globalThis.hog = Buffer.alloc(256 * 1024 * 1024, 1); setTimeout(() => {}, 60000);`;

/** Why cgroups / a PID namespace cannot be tested here (undefined: they can); printed so a skip is never silent. */
export const noCgroups = cgroupsUnavailableReason();
export const noPidNamespace = (() => {
  const ns = PidNamespaceIsolator.open();
  return ns.ok ? undefined : ns.error;
})();

export function sayWhySkipped(file: string): void {
  if (noCgroups) console.warn(`[${file}] cgroups tests SKIPPED on this host: ${noCgroups}`);
  if (noPidNamespace) console.warn(`[${file}] PID namespace tests SKIPPED on this host: ${noPidNamespace}`);
}

export function withResources(task: TaskInfo, scalars: Record<string, number>): TaskInfo {
  return { ...task, resources: { scalars, ranges: {}, sets: {} } };
}

export const hogTask = (taskId: string): TaskInfo => withResources(argvTask(taskId, [process.execPath, '-e', HOG]), { cpus: 0.5, mem: 64 });

/** The process's task memory cgroup (v1 memory hierarchy, else v2) and the file holding its limit, from /proc/<pid>/cgroup. */
export function memoryCgroupOf(pid: number): { dir: string; limitFile: string } {
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n');
  const mounts = readCgroupMounts();
  const v1 = lines.find((l) => l.split(':')[1]?.split(',').includes('memory'));
  const memoryMount = mounts.v1.get('memory');
  if (v1 && memoryMount && v1.split(':')[2].includes('/orrery/')) {
    const dir = `${memoryMount}${v1.split(':')[2]}`;
    return { dir, limitFile: `${dir}/memory.limit_in_bytes` };
  }
  const v2 = lines.find((l) => l.startsWith('0::'));
  if (!v2 || !mounts.v2) throw new Error(`process ${pid} is in no task memory cgroup`);
  const dir = `${mounts.v2}${v2.slice(3)}`;
  return { dir, limitFile: `${dir}/memory.max` };
}

/** Creates `go` in the task's sandbox (its command waits for it). */
export async function go(workDir: string, taskId: string): Promise<void> {
  await writeFile(`${await sandboxOf(workDir, FW, taskId)}/go`, '');
}

/** Waits for the task's command to create `ready` in its sandbox: RUNNING only says its executor started. */
export async function ready(workDir: string, taskId: string): Promise<void> {
  const sandbox = await sandboxOf(workDir, FW, taskId);
  await waitFor(() => existsSync(`${sandbox}/ready`), { message: `${taskId} ready` });
}
