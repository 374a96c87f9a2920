import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../logging/logger.ts';
import { readProcStat, type ProcStat } from './proc-stat.ts';

/** One executor to start: detached (own session and process group), stdio on /dev/null. */
export interface SpawnRequest {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/**
 * What a spawner reports about one request, in this order: `started` or `failed` once, then `exited` once (only
 * after `started`). `lost` replaces whatever has not been reported yet when the spawner can no longer observe the
 * executor (the launcher helper died): the executor may be running, may have ended, or — if `started` was never
 * reported — may or may not have started. Callbacks never throw back into the spawner.
 */
export interface SpawnEvents {
  /** `stat` was read before the executor could be reaped; undefined if it had vanished already. */
  started(pid: number, stat: ProcStat | undefined): void;
  failed(message: string): void;
  exited(code: number | null, signal: NodeJS.Signals | null): void;
  lost(): void;
}

/**
 * Starts executors and reports their start and end. `close` stops all reporting and lets executors run on their
 * own (they are detached); it is called once, when the agent stops.
 */
export interface ExecutorSpawner {
  /** `helper` or `in-process`, for logs and benchmarks. */
  readonly kind: string;
  /** Optional warm-up (e.g. start the helper process) so the first launch does not pay for it. */
  start(): void;
  spawn(request: SpawnRequest, events: SpawnEvents): void;
  close(): void;
}

/**
 * Forks executors from the agent's own process. Simple, but the fork's cost grows with the agent's resident memory
 * and the event loop is blocked for each fork+exec; see HelperExecutorSpawner for the default.
 */
export class InProcessExecutorSpawner implements ExecutorSpawner {
  readonly kind = 'in-process';
  private readonly children = new Set<ChildProcess>();

  constructor(private readonly log: Logger) {}

  start(): void {}

  spawn(request: SpawnRequest, events: SpawnEvents): void {
    let child: ChildProcess;
    try {
      child = spawn(request.file, request.args, { detached: true, stdio: 'ignore', cwd: request.cwd, env: request.env });
    } catch (e) {
      // Invalid arguments (e.g. a NUL byte in the env) throw synchronously.
      events.failed(e instanceof Error ? e.message : String(e));
      return;
    }
    let started = false;
    this.children.add(child);
    child.once('spawn', () => {
      started = true;
      const pid = child.pid as number;
      events.started(pid, readProcStat(pid));
    });
    child.once('error', (e) => {
      if (started) {
        this.log.warn({ err: e, pid: child.pid }, 'executor process error');
        return;
      }
      this.children.delete(child);
      events.failed(e.message);
    });
    child.once('exit', (code, signal) => {
      this.children.delete(child);
      events.exited(code, signal);
    });
  }

  close(): void {
    for (const child of this.children) {
      child.removeAllListeners();
      child.on('error', (e) => this.log.warn({ err: e, pid: child.pid }, 'executor process error after the agent stopped'));
      child.unref();
    }
    this.children.clear();
  }
}
