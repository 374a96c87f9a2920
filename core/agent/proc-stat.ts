import { readFileSync } from 'node:fs';
import { readdir, readlink } from 'node:fs/promises';
import { readText } from './lean-fs.ts';

/**
 * Process facts from the kernel, used to re-attach to executors after an agent restart without being fooled by
 * PID reuse: a pid is "ours" only while its start time (field 22 of `/proc/<pid>/stat`, clock ticks since boot)
 * equals the one checkpointed at launch.
 */

export interface ProcStat {
  /** Field 3: R, S, D, Z (zombie: dead, waiting for its parent to reap it), T… */
  state: string;
  /** Field 5: process group id. */
  pgrp: number;
  /** Field 22: start time in clock ticks since boot. */
  startTime: number;
}

/** Parses a `/proc/<pid>/stat` line. The command name (field 2) may hold spaces and `)`, so parse after the last `)`. */
export function parseProcStat(stat: string): ProcStat | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  // After ") " the fields start at field 3, so field N is index N - 3.
  const fields = stat.slice(close + 2).split(' ');
  const pgrp = Number(fields[2]);
  const startTime = Number(fields[19]);
  if (!fields[0] || !Number.isSafeInteger(pgrp) || !Number.isSafeInteger(startTime)) return undefined;
  return { state: fields[0], pgrp, startTime };
}

/**
 * Undefined when the process is gone. Synchronous on purpose: procfs is served from kernel memory, never from disk,
 * and a sync read costs ~20 µs of CPU against ~150 µs for the async round trip through the libuv pool; it runs
 * once per launch and once per re-attached executor per verification round.
 */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch (e) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'ESRCH')) return undefined;
    throw e;
  }
}

async function readProcStatAsync(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readText(`/proc/${pid}/stat`));
  } catch (e) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'ESRCH')) return undefined;
    throw e;
  }
}

/**
 * Pids of the group's members that are not zombies. Orphans of a killed task are re-parented to pid 1, which may
 * reap them late (seconds on this VM's init), and `kill(-pgid, 0)` still counts zombies; this scan does not.
 * It reads every /proc/<pid>/stat, so use it only when `groupExists` says the group is not yet empty.
 */
export async function liveGroupMembers(pgid: number): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const stats = await Promise.all(pids.map(async (pid) => ({ pid, stat: await readProcStatAsync(pid) })));
  return stats.filter(({ stat }) => stat && stat.pgrp === pgid && stat.state !== 'Z').map(({ pid }) => pid);
}

/**
 * The live process that leads its own process group and works in `cwd`: an executor shim, found by its sandbox when
 * its pid never reached the agent (the launcher helper died mid-launch). Scans /proc; rare path only.
 */
export async function groupLeaderIn(cwd: string): Promise<{ pid: number; stat: ProcStat } | undefined> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  for (const pid of pids) {
    const stat = await readProcStatAsync(pid);
    if (!stat || stat.pgrp !== pid || stat.state === 'Z') continue;
    let dir: string;
    try {
      dir = await readlink(`/proc/${pid}/cwd`);
    } catch (e) {
      // Gone meanwhile, or another user's process (not one of ours).
      if (isErrno(e, 'ENOENT') || isErrno(e, 'EACCES') || isErrno(e, 'EPERM')) continue;
      throw e;
    }
    if (dir === cwd) return { pid, stat };
  }
  return undefined;
}

/** Whether a process (zombies included) with this pid exists; EPERM means it exists but is not ours to signal. */
export function processExists(pid: number): boolean {
  return signal(pid, 0);
}

/** Whether any process is left in the process group. */
export function groupExists(pgid: number): boolean {
  return signal(-pgid, 0);
}

/** Signals every process of the group; false when the group is already empty. */
export function signalGroup(pgid: number, sig: NodeJS.Signals): boolean {
  return signal(-pgid, sig);
}

function signal(target: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(target, sig);
    return true;
  } catch (e) {
    if (isErrno(e, 'ESRCH')) return false;
    if (isErrno(e, 'EPERM')) return true;
    throw e;
  }
}

export function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as NodeJS.ErrnoException).code === code;
}
