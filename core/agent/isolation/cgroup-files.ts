import { readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { isErrno } from '../proc-stat.ts';

/**
 * Small synchronous helpers over cgroupfs. Synchronous on purpose, like the agent's /proc reads: cgroupfs lives in
 * kernel memory, a read or write costs tens of µs, less than a round trip through the libuv pool (creating the four
 * cgroups of a task and writing its limits measured ~0.2 ms here).
 */

/** The file's text, or undefined when it does not exist (an older kernel, a controller not mounted, a removed cgroup). */
export function readCgroupFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'ENODEV')) return undefined;
    throw e;
  }
}

export function readCgroupNumber(path: string): number | undefined {
  const text = readCgroupFile(path)?.trim();
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** `key value` lines (memory.stat, cpu.stat, memory.oom_control, memory.events) as numbers. Pure. */
export function parseFlatKeyed(text: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of (text ?? '').split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) out.set(key, Number(value));
  }
  return out;
}

export function writeCgroupFile(path: string, value: string): void {
  writeFileSync(path, value);
}

/** Pids in a cgroup's `cgroup.procs` (empty when the cgroup is gone). */
export function cgroupProcs(dir: string): number[] {
  const text = readCgroupFile(`${dir}/cgroup.procs`);
  if (!text) return [];
  return text.split('\n').filter((l) => l !== '').map(Number);
}

/** SIGKILL to every process of the cgroup; the number signalled. */
export function killCgroupProcs(dir: string): number {
  let n = 0;
  for (const pid of cgroupProcs(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
      n++;
    } catch (e) {
      if (!isErrno(e, 'ESRCH')) throw e;
    }
  }
  return n;
}

/** Removes an empty cgroup; true when it is gone, false while processes (or child cgroups) keep it busy. */
export function removeCgroupDir(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return true;
    if (isErrno(e, 'EBUSY') || isErrno(e, 'ENOTEMPTY')) return false;
    throw e;
  }
}

/** Single-quotes a word for POSIX sh. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
