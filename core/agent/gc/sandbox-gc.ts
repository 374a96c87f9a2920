/**
 * Removes finished sandboxes once they are older than the age budget, or earlier, oldest first, when together
 * they exceed the size budget (sandbox-gc-plan.ts). A sandbox becomes finished when its task's terminal update is
 * acknowledged (`add`); at start the agent hands over the sandboxes on disk that no open task owns (`adopt`),
 * aged by their mtime. One timer, through the Clock, set for the next sandbox to come of age.
 *
 * Removed tasks are remembered (bounded) so a read of their files can say the sandbox is gone rather than
 * "unknown task"; the memory does not survive an agent restart.
 */
import type { Dirent } from 'node:fs';
import { lstat, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Clock, TimerHandle } from '../../clock/clock.ts';
import type { Logger } from '../../logging/logger.ts';
import { isErrno } from '../proc-stat.ts';
import { isSafeId, type WorkDirLayout } from '../work-dir-layout.ts';
import { planSandboxGc, type FinishedSandbox, type SandboxGcPolicy } from './sandbox-gc-plan.ts';

export type { SandboxGcPolicy } from './sandbox-gc-plan.ts';

/** Mesos' `--gc_delay` (1 week); 10 GiB of finished sandboxes. */
export const DEFAULT_SANDBOX_GC: SandboxGcPolicy = { maxAgeMs: 7 * 24 * 3600_000, maxBytes: 10 * 1024 ** 3 };

/** Timers longer than this are re-planned (Node's timers overflow at 2^31-1 ms). */
const MAX_TIMER_MS = 24 * 3600_000;
const REMEMBER_REMOVED = 10_000;

export interface SandboxGcDeps {
  clock: Clock;
  log: Logger;
  layout: WorkDirLayout;
  policy: SandboxGcPolicy;
  /** A sandbox was removed: forget any reference to it. */
  removed(taskId: string, sandbox: string): void;
}

export class SandboxGc {
  private entries: FinishedSandbox[] = [];
  private readonly known = new Set<string>();
  private totalBytes = 0;
  private readonly removedTasks = new Map<string, number>();
  private timer?: TimerHandle;
  private sweeping?: Promise<void>;
  private stopped = false;

  constructor(private readonly deps: SandboxGcDeps) {}

  /** The task's end was acknowledged: its sandbox is finished from now. */
  async add(taskId: string, sandbox: string): Promise<void> {
    const bytes = await sizeOf(sandbox, this.deps.log);
    this.insert({ taskId, sandbox, finishedAt: this.deps.clock.now(), bytes });
    await this.sweep();
  }

  /** At start: every run directory on disk not in `open` (sandboxes of tasks the agent still tracks) is finished. */
  async adopt(open: ReadonlySet<string>): Promise<void> {
    for (const frameworkId of await dirNames(this.deps.layout.sandboxesDir)) {
      for (const taskId of await dirNames(join(this.deps.layout.sandboxesDir, frameworkId))) {
        for (const runId of await dirNames(this.deps.layout.taskSandboxesDir(frameworkId, taskId))) {
          const sandbox = this.deps.layout.sandboxDir(frameworkId, taskId, runId);
          if (open.has(sandbox)) continue;
          const st = await stat(sandbox).catch(() => undefined);
          if (!st) continue;
          this.insert({ taskId, sandbox, finishedAt: st.mtimeMs, bytes: await sizeOf(sandbox, this.deps.log) });
        }
      }
    }
    if (this.entries.length) this.deps.log.info({ sandboxes: this.entries.length }, 'finished sandboxes found on disk');
    await this.sweep();
  }

  /** When the task's sandbox was removed by this agent, if it was. */
  removedAt(taskId: string): number | undefined {
    return this.removedTasks.get(taskId);
  }

  get finished(): number {
    return this.entries.length;
  }

  /** Stops the timer and waits for a removal in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.sweeping;
  }

  private insert(e: FinishedSandbox): void {
    if (this.known.has(e.sandbox)) return;
    this.known.add(e.sandbox);
    this.totalBytes += e.bytes;
    // Sorted by finishedAt; additions are almost always newest, so search from the end.
    let i = this.entries.length;
    while (i > 0 && this.entries[i - 1].finishedAt > e.finishedAt) i--;
    this.entries.splice(i, 0, e);
  }

  private sweep(): Promise<void> {
    // One sweep at a time; a sweep asked for meanwhile runs after it (it re-plans with the newest entries).
    const next = (this.sweeping ?? Promise.resolve()).then(() => this.sweepOnce());
    this.sweeping = next;
    return next;
  }

  private async sweepOnce(): Promise<void> {
    if (this.stopped) return;
    this.timer?.cancel();
    const now = this.deps.clock.now();
    const plan = planSandboxGc(this.entries, now, this.deps.policy, this.totalBytes);
    if (plan.remove.length) {
      this.entries.splice(0, plan.remove.length);
      for (const e of plan.remove) {
        this.known.delete(e.sandbox);
        this.totalBytes -= e.bytes;
      }
      for (const e of plan.remove) await this.remove(e, now);
    }
    if (plan.nextDueAt !== undefined && !this.stopped) {
      const delay = Math.min(MAX_TIMER_MS, Math.max(0, plan.nextDueAt - now));
      this.timer = this.deps.clock.setTimeout(() => void this.sweep(), delay);
    }
  }

  private async remove(e: FinishedSandbox, now: number): Promise<void> {
    try {
      await rm(e.sandbox, { recursive: true, force: true });
    } catch (err) {
      this.deps.log.warn({ err, taskId: e.taskId, sandbox: e.sandbox }, 'sandbox not removed');
      return;
    }
    // Known as removed as soon as it is gone (before the next await), so a read never finds neither it nor the note.
    this.removedTasks.delete(e.taskId);
    this.removedTasks.set(e.taskId, now);
    if (this.removedTasks.size > REMEMBER_REMOVED) this.removedTasks.delete(this.removedTasks.keys().next().value as string);
    this.deps.removed(e.taskId, e.sandbox);
    // The task's directory goes with its last run; a new run in it meanwhile makes rmdir fail harmlessly.
    await rmdir(dirname(e.sandbox)).catch((err: unknown) => {
      if (!isErrno(err, 'ENOTEMPTY') && !isErrno(err, 'ENOENT') && !isErrno(err, 'EEXIST')) this.deps.log.warn({ err, taskId: e.taskId }, 'task sandbox directory not removed');
    });
    this.deps.log.info({ taskId: e.taskId, bytes: e.bytes, ageMs: now - e.finishedAt }, 'sandbox removed');
  }
}

async function dirNames(dir: string): Promise<string[]> {
  let list: Dirent[];
  try {
    list = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) return [];
    throw e;
  }
  return list.filter((d) => d.isDirectory() && isSafeId(d.name)).map((d) => d.name);
}

/** Bytes of the files under `dir` (symlinks not followed). Unreadable entries count as 0. */
async function sizeOf(dir: string, log: Logger): Promise<number> {
  let total = 0;
  let list: Dirent[];
  try {
    list = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (e) {
    if (!isErrno(e, 'ENOENT')) log.warn({ err: e, dir }, 'sandbox size unknown');
    return 0;
  }
  for (const d of list) {
    if (!d.isFile()) continue;
    const st = await lstat(join(d.parentPath, d.name)).catch(() => undefined);
    total += st?.size ?? 0;
  }
  return total;
}
