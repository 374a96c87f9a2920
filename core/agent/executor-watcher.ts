import type { Clock, TimerHandle } from '../clock/clock.ts';
import type { Logger } from '../logging/logger.ts';
import { processExists, readProcStat } from './proc-stat.ts';

interface Watched {
  pid: number;
  startTime: number;
}

/**
 * Notices the end of executors the agent re-attached to after a restart. It is no longer their parent, so no
 * 'exit' event arrives: every `intervalMs` it probes each pid with signal 0, and every `verifyEvery`-th round it
 * also reads /proc/<pid>/stat, which catches a zombie waiting for a slow init and a pid reused by another
 * process (start time changed). `onGone` is called once per watched executor; `replaced` says the pid now belongs to
 * another process, so its process group must not be signalled (while any member of our group lives, Linux keeps
 * its id from being reused, so `replaced` also means our group is empty).
 */
export class ExecutorWatcher {
  private readonly watched = new Map<string, Watched>();
  private timer?: TimerHandle;
  private round = 0;

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly onGone: (taskId: string, replaced: boolean) => void,
    private readonly intervalMs = 250,
    private readonly verifyEvery = 4,
  ) {}

  watch(taskId: string, pid: number, startTime: number): void {
    this.watched.set(taskId, { pid, startTime });
    this.ensureTimer();
  }

  unwatch(taskId: string): void {
    this.watched.delete(taskId);
    if (this.watched.size === 0) this.stop();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Resumes polling after `stop` if anything is still watched. */
  resume(): void {
    if (this.watched.size > 0) this.ensureTimer();
  }

  private ensureTimer(): void {
    this.timer ??= this.clock.setInterval(() => this.poll(), this.intervalMs);
  }

  private poll(): void {
    this.round++;
    for (const [taskId, w] of this.watched) {
      if (!processExists(w.pid)) this.gone(taskId, false);
    }
    if (this.round % this.verifyEvery === 0) {
      try {
        this.verify();
      } catch (e) {
        this.log.warn({ err: e }, 'executor verification failed');
      }
    }
  }

  private verify(): void {
    for (const [taskId, w] of this.watched) {
      const stat = readProcStat(w.pid);
      if (!stat || stat.state === 'Z') this.gone(taskId, false);
      else if (stat.startTime !== w.startTime) this.gone(taskId, true);
    }
  }

  private gone(taskId: string, replaced: boolean): void {
    if (!this.watched.has(taskId)) return;
    this.unwatch(taskId);
    this.onGone(taskId, replaced);
  }
}
