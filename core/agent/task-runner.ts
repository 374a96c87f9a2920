import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Clock, TimerHandle } from '../clock/clock.ts';
import type { Logger } from '../logging/logger.ts';
import { isTerminal, TaskReason, TaskState, type TaskInfo, type TaskStatus } from '../sdk/protocol.ts';
import { commandArgv, executorRequest, taskEnv } from './executor-launcher.ts';
import type { ExecutorSpawner } from './executor-spawner.ts';
import { ExecutorWatcher } from './executor-watcher.ts';
import type { Isolator, IsolatorLaunch } from './isolator.ts';
import { IsolatorChain, isolationContext } from './isolation/isolator-chain.ts';
import { RecentUsage } from './isolation/task-usage.ts';
import type { UriFetcher } from './fetcher/uri-fetcher.ts';
import type { HealthReport } from './health/health-state.ts';
import type { TaskHealthChecks } from './health/task-health-checks.ts';
import { readText } from './lean-fs.ts';
import { groupExists, groupLeaderIn, isErrno, liveGroupMembers, readProcStat, signalGroup, type ProcStat } from './proc-stat.ts';
import type { TaskReport, TaskStats } from './protocol.ts';
import type { RecoveredTask, TaskCheckpoint, TaskRecord } from './task-checkpoint.ts';
import { executorLine, type ExecutorIdentity } from './update-journal.ts';
import { parseExitStatus, taskOutcome } from './task-outcome.ts';
import { isSafeId, type WorkDirLayout } from './work-dir-layout.ts';

/** The fields of an update the runner decides; the agent adds uuid, agent id and timestamp. */
export type UpdateFields = Pick<TaskStatus, 'taskId' | 'frameworkId' | 'state' | 'source'> &
  Partial<Pick<TaskStatus, 'reason' | 'message' | 'exitCode' | 'signal' | 'executorPid' | 'healthy' | 'healthFailures'>>;

export interface TaskRunnerOptions {
  clock: Clock;
  log: Logger;
  layout: WorkDirLayout;
  checkpoint: TaskCheckpoint;
  isolators: Isolator[];
  /** Starts executors; closed by `detach`. */
  spawner: ExecutorSpawner;
  /** The agent's environment minus secrets. */
  inheritedEnv: Record<string, string>;
  defaultKillGracePeriodMs: number;
  /**
   * Journals and queues an update (journaled only when `checkpoint`, after `preface` lines in the same write);
   * resolves once journaled. Never rejects.
   */
  emit(update: UpdateFields, checkpoint: boolean, preface?: string): Promise<void>;
  /** Keeps work started by events (an executor's end) visible to the agent's `stop`, and logs its failure. */
  track(work: Promise<unknown>): void;
  /** Fetches the task's `command.uris` into the sandbox before the executor starts. */
  fetcher?: UriFetcher;
  /** Runs health checks of RUNNING tasks; its reports come back through `healthReport` / `healthKill`. */
  health?: TaskHealthChecks;
}

interface TaskRun {
  taskId: string;
  frameworkId: string;
  record: TaskRecord;
  log: Logger;
  /** The latest state queued for the master. */
  state: TaskState;
  /** Set when the executor's end (or a launch failure) has been handled: at most one terminal update. */
  ended: boolean;
  /** Set once the shim started (or from the journal after a restart). */
  executor?: ExecutorIdentity;
  killRequested: boolean;
  killGraceMs?: number;
  killTimer?: TimerHandle;
  /** The usage sampled as the task ended, before its isolators cleaned up. */
  finalStats?: TaskStats;
  /** Set when the kill came from a failing health check: the terminal update says so. */
  healthKill?: HealthReport;
  /** Aborts the fetch of the task's URIs (a kill while it is STAGING). */
  fetchAbort?: AbortController;
  /** Resolves once the terminal update is journaled. */
  done: Promise<void>;
  markDone(): void;
}

/** How long to wait for a killed group's last live members to die before reporting anyway. */
const GROUP_DRAIN_POLLS = 40;
const GROUP_DRAIN_INTERVAL_MS = 25;

/**
 * Runs tasks under executor shims: launch (sandbox, checkpoint, isolators, detached spawn), kill (TERM to the
 * group, KILL after the grace period), the executor's end (exit status → terminal update, leftovers of the
 * group killed first) and re-attachment after an agent restart. Each task yields RUNNING at most once and one
 * terminal update, in that order.
 */
export class TaskRunner {
  private readonly runs = new Map<string, TaskRun>();
  private readonly watcher: ExecutorWatcher;
  private readonly isolation: IsolatorChain;
  private readonly recentUsage = new RecentUsage();

  constructor(private readonly opts: TaskRunnerOptions) {
    this.isolation = new IsolatorChain(opts.isolators);
    this.watcher = new ExecutorWatcher(opts.clock, opts.log, (taskId, replaced) => {
      const run = this.runs.get(taskId);
      if (run) opts.track(this.executorEnded(run, { signal: null, groupIsOurs: !replaced }));
    });
  }

  async launch(frameworkId: string, task: TaskInfo): Promise<void> {
    const taskId = task?.taskId;
    if (!isSafeId(frameworkId) || !isSafeId(taskId)) {
      await this.opts.emit(
        {
          taskId: String(taskId),
          frameworkId: String(frameworkId),
          state: TaskState.ERROR,
          source: 'SOURCE_AGENT',
          reason: TaskReason.TASK_INVALID,
          message: 'framework and task ids must match [A-Za-z0-9_.:-]+ and must not contain ".."',
        },
        false,
      );
      return;
    }
    if (this.runs.has(taskId)) {
      this.opts.log.warn({ taskId, frameworkId }, 'launch of a task id already running ignored');
      return;
    }
    const runId = randomUUID();
    const record: TaskRecord = { frameworkId, task, runId, sandbox: this.opts.layout.sandboxDir(frameworkId, taskId, runId) };
    const run = this.addRun(record, TaskState.STAGING);
    const argv = commandArgv(task.command ?? { shell: false });
    try {
      await this.opts.checkpoint.createTask(taskId, record);
    } catch (e) {
      run.log.error({ err: e }, 'task checkpoint failed');
      return this.end(run, failed(`Sandbox or checkpoint could not be created: ${errorText(e)}`), false);
    }
    if (!argv.ok) return this.end(run, { state: TaskState.ERROR, reason: TaskReason.TASK_INVALID, message: argv.error });
    if (run.killRequested) {
      return this.end(run, { state: TaskState.KILLED, reason: TaskReason.TASK_KILLED_DURING_LAUNCH, message: 'Killed before the executor started' });
    }
    const uris = task.command?.uris;
    if (Array.isArray(uris) && uris.length > 0 && this.opts.fetcher) {
      run.fetchAbort = new AbortController();
      const fetched = await this.opts.fetcher.fetchAll(uris, record.sandbox, run.log, run.fetchAbort.signal);
      run.fetchAbort = undefined;
      if (!fetched.ok && !run.killRequested) return this.end(run, { state: TaskState.FAILED, reason: TaskReason.FETCH_FAILED, message: `Failed to fetch ${fetched.error.uri}: ${fetched.error.message}` });
      if (run.killRequested) {
        return this.end(run, { state: TaskState.KILLED, reason: TaskReason.TASK_KILLED_DURING_LAUNCH, message: 'Killed while its URIs were fetched' });
      }
    }
    let isolation: IsolatorLaunch;
    try {
      isolation = await this.isolation.prepare(isolationContext(record));
    } catch (e) {
      return this.end(run, failed(`Isolation could not be prepared: ${errorText(e)}`));
    }
    const env = taskEnv(this.opts.inheritedEnv, task.command, isolation, { frameworkId, taskId, sandbox: record.sandbox });
    await new Promise<void>((resolve) => {
      this.opts.spawner.spawn(executorRequest([...isolation.wrapperArgs, ...argv.value], record.sandbox, env), {
        started: (pid, stat) => {
          this.spawned(run, pid, stat);
          resolve();
        },
        failed: (message) => {
          this.opts.track(this.end(run, failed(`Executor could not be started: ${message}`)));
          resolve();
        },
        exited: (code, signal) => {
          if (run.executor) this.opts.track(this.executorEnded(run, { code, signal, groupIsOurs: true }));
        },
        lost: () => {
          this.opts.track(this.executorLost(run));
          resolve();
        },
      });
    });
  }

  /** Precondition: the task is known to this runner (`has`). */
  kill(taskId: string, gracePeriodMs: number | undefined): void {
    const run = this.runs.get(taskId) as TaskRun;
    if (run.ended) {
      run.log.debug('kill of an ended task ignored');
      return;
    }
    if (run.killRequested) return;
    run.killRequested = true;
    this.opts.health?.stop(taskId);
    run.fetchAbort?.abort(new Error('the task was killed'));
    run.killGraceMs = run.record.task.killGracePeriodMs ?? gracePeriodMs ?? this.opts.defaultKillGracePeriodMs;
    run.log.info({ gracePeriodMs: run.killGraceMs }, 'killing task');
    // Before the executor exists, launch() or spawned() acts on killRequested.
    if (run.executor) this.signalKill(run);
  }

  has(taskId: string): boolean {
    return this.runs.has(taskId);
  }

  /** The sandboxes of every task still tracked. */
  *sandboxes(): Iterable<string> {
    for (const run of this.runs.values()) yield run.record.sandbox;
  }

  sandboxOf(taskId: string): string | undefined {
    return this.runs.get(taskId)?.record.sandbox;
  }

  running(): number {
    let n = 0;
    for (const run of this.runs.values()) if (!isTerminal(run.state)) n++;
    return n;
  }

  /** What the registration reports: every task still tracked, with its latest state. */
  reports(): TaskReport[] {
    return [...this.runs.values()].map((r) => ({ frameworkId: r.frameworkId, task: r.record.task, state: r.state }));
  }

  /** Stops tracking a task whose terminal update was acknowledged; returns its sandbox if it was tracked. */
  release(taskId: string): string | undefined {
    const run = this.runs.get(taskId);
    if (!run) return undefined;
    this.runs.delete(taskId);
    if (run.finalStats) this.recentUsage.remember(run.finalStats);
    return run.record.sandbox;
  }

  /** The task's usage now while it runs, its last sample once it ended; undefined when there is none. */
  async stats(taskId: string): Promise<TaskStats | undefined> {
    const run = this.runs.get(taskId);
    if (!run) return this.recentUsage.get(taskId);
    if (run.ended || !run.executor) return run.finalStats;
    return this.isolation.usage(run.record, this.opts.clock.now(), true, run.log);
  }

  /** Every checkpointed task is recovered: isolators drop what belongs to runs no longer tracked (orphans). */
  async recovered(): Promise<void> {
    await this.isolation.recovered(new Set([...this.runs.values()].map((r) => r.record.runId)), this.opts.log);
  }

  /** Kills every task still running and resolves once all their terminal updates are journaled. */
  async killAll(): Promise<void> {
    for (const run of this.runs.values()) this.kill(run.taskId, undefined);
    await Promise.all([...this.runs.values()].map((r) => r.done));
  }

  /** Leaves executors running on their own: stops timers and the spawner so the process can exit. */
  detach(): void {
    this.watcher.stop();
    this.opts.health?.stopAll();
    for (const run of this.runs.values()) run.killTimer?.cancel();
    this.isolation.close();
    this.opts.spawner.close();
  }

  /**
   * Rebuilds runs from the checkpoint: live executors (pid alive, same start time) are watched again; dead ones
   * get their terminal update from `exit_status`. Precondition: their unacknowledged updates are already queued.
   */
  async recover(recovered: RecoveredTask): Promise<void> {
    const { taskId, record, journal } = recovered;
    if (!record) return;
    const latest = journal.updates.at(-1)?.state ?? TaskState.STAGING;
    const run = this.addRun(record, latest);
    if (isTerminal(latest)) {
      run.ended = true;
      run.markDone();
      return;
    }
    const executor = journal.executor;
    run.executor = executor;
    if (!executor) {
      // The agent stopped between checkpointing the task and starting its executor.
      return this.end(run, { state: TaskState.LOST, reason: TaskReason.AGENT_RESTARTED, message: 'Agent restarted before the executor started' });
    }
    const stat = readProcStat(executor.pid);
    const ours = stat !== undefined && stat.state !== 'Z' && stat.startTime === executor.startTime;
    if (!ours) {
      // A start time that differs means the pid was reused; a missing one means the shim was gone when checkpointed.
      return this.executorEnded(run, { signal: null, groupIsOurs: stat === undefined || stat.startTime === executor.startTime });
    }
    if (latest !== TaskState.RUNNING) {
      run.state = TaskState.RUNNING;
      this.opts.track(this.opts.emit(this.fields(run, { state: TaskState.RUNNING, source: 'SOURCE_EXECUTOR', executorPid: executor.pid }), true));
    }
    run.log.info({ pid: executor.pid }, 'executor re-attached');
    this.isolation.watch(record, executor.pid, run.log);
    this.watcher.watch(taskId, executor.pid, executor.startTime as number);
    this.startHealth(run);
  }

  /** The task's health changed: a RUNNING update carrying it (Mesos' REASON_TASK_HEALTH_CHECK_STATUS_UPDATED). */
  healthReport(taskId: string, report: HealthReport): void {
    const run = this.runs.get(taskId);
    if (!run || run.ended || run.killRequested) return;
    const update = this.fields(run, { state: TaskState.RUNNING, source: 'SOURCE_EXECUTOR', reason: TaskReason.TASK_HEALTH_CHECK_STATUS_UPDATED, healthy: report.healthy, healthFailures: report.consecutiveFailures });
    if (report.cause !== undefined) update.message = `Health check failed: ${report.cause}`;
    this.opts.track(this.opts.emit(update, true));
  }

  /** The task failed its health check too often: kill it; its terminal update says why. */
  healthKill(taskId: string, report: HealthReport): void {
    const run = this.runs.get(taskId);
    if (!run || run.ended || run.killRequested) return;
    run.healthKill = report;
    this.kill(taskId, undefined);
  }

  private startHealth(run: TaskRun): void {
    const problem = this.opts.health?.start(run.frameworkId, run.record.task, run.record.sandbox);
    if (problem) run.log.warn({ problem }, 'health check not started');
  }

  private addRun(record: TaskRecord, state: TaskState): TaskRun {
    let markDone!: () => void;
    const done = new Promise<void>((resolve) => {
      markDone = resolve;
    });
    const taskId = record.task.taskId;
    const run: TaskRun = {
      taskId,
      frameworkId: record.frameworkId,
      record,
      log: this.opts.log.child({ taskId }),
      state,
      ended: false,
      killRequested: false,
      done,
      markDone,
    };
    this.runs.set(taskId, run);
    return run;
  }

  /** `stat` was read at once by the spawner: the start time guards re-attachment against pid reuse after a restart. */
  private spawned(run: TaskRun, pid: number, stat: ProcStat | undefined): void {
    run.executor = stat ? { pid, startTime: stat.startTime } : { pid };
    run.state = TaskState.RUNNING;
    run.log.debug({ pid, startTime: run.executor.startTime }, 'executor started');
    const running = this.fields(run, { state: TaskState.RUNNING, source: 'SOURCE_EXECUTOR', executorPid: pid });
    this.opts.track(this.opts.emit(running, true, executorLine(run.taskId, run.executor)));
    this.isolation.watch(run.record, pid, run.log);
    if (run.killRequested) this.signalKill(run);
    else this.startHealth(run);
  }

  private signalKill(run: TaskRun): void {
    const pgid = (run.executor as ExecutorIdentity).pid;
    signalGroup(pgid, 'SIGTERM');
    run.killTimer = this.opts.clock.setTimeout(() => {
      if (run.ended) return;
      run.log.info({ gracePeriodMs: run.killGraceMs }, 'grace period over; sending SIGKILL');
      signalGroup(pgid, 'SIGKILL');
    }, run.killGraceMs ?? this.opts.defaultKillGracePeriodMs);
  }

  /**
   * The shim is gone: clear what is left of its group, get its exit status, report the terminal state.
   * A shim that exits normally exits with the status it wrote, so its own children's `code` saves reading the file.
   */
  private async executorEnded(
    run: TaskRun,
    how: { code?: number | null; signal: NodeJS.Signals | null; groupIsOurs: boolean },
  ): Promise<void> {
    if (run.ended) return;
    run.ended = true;
    run.killTimer?.cancel();
    this.watcher.unwatch(run.taskId);
    const pgid = (run.executor as ExecutorIdentity).pid;
    if (how.groupIsOurs && groupExists(pgid)) await this.drainGroup(run, pgid);
    const exitStatus = typeof how.code === 'number' ? how.code : await this.readExitStatus(run);
    const outcome = taskOutcome({ exitStatus, signal: how.signal, killRequested: run.killRequested });
    // An isolator that stopped the task (memory limit) decides the state; its exit status would mislead.
    const limitation = run.killRequested ? undefined : await this.isolation.limitation(run.record, run.log);
    await this.end(run, limitation ? { ...outcome, state: TaskState.FAILED, ...limitation } : outcome, true, true);
  }

  /**
   * The spawner can no longer report on this executor (the launcher helper died): watch it as a re-attached one.
   * If its pid never arrived, find it by its sandbox (the shim's working directory); failing that it either never
   * started or already ended, which its exit_status tells.
   */
  private async executorLost(run: TaskRun): Promise<void> {
    if (run.ended) return;
    if (!run.executor) {
      const found = await groupLeaderIn(run.record.sandbox);
      if (run.ended) return;
      if (!found) {
        const exitStatus = await this.readExitStatus(run);
        if (exitStatus === undefined) return this.end(run, failed('Executor launcher exited during the launch; the executor did not start'));
        return this.end(run, taskOutcome({ exitStatus, signal: null, killRequested: run.killRequested }), true, true);
      }
      run.log.warn({ pid: found.pid }, 'executor found by its sandbox after the launcher helper died');
      this.spawned(run, found.pid, found.stat);
    }
    const { pid, startTime } = run.executor as ExecutorIdentity;
    if (startTime === undefined) return this.executorEnded(run, { signal: null, groupIsOurs: true });
    run.log.info({ pid }, 'executor watched after the launcher helper died');
    this.watcher.watch(run.taskId, pid, startTime);
  }

  /**
   * The task ended but processes it started remain (background children): the task's end takes them along.
   * Polls through the Clock, so with a ManualClock a task that leaves processes behind waits for ticks.
   */
  private async drainGroup(run: TaskRun, pgid: number): Promise<void> {
    for (let i = 0; i < GROUP_DRAIN_POLLS; i++) {
      signalGroup(pgid, 'SIGKILL');
      const live = await liveGroupMembers(pgid);
      if (live.length === 0) return;
      if (i === 0) run.log.info({ pgid, pids: live }, 'killing processes left in the task group');
      await new Promise<void>((resolve) => this.opts.clock.setTimeout(resolve, GROUP_DRAIN_INTERVAL_MS));
    }
    run.log.warn({ pgid }, 'processes of the task group survived SIGKILL');
  }

  private async readExitStatus(run: TaskRun): Promise<number | undefined> {
    try {
      return parseExitStatus(await readText(join(run.record.sandbox, 'exit_status')));
    } catch (e) {
      if (isErrno(e, 'ENOENT')) return undefined;
      run.log.warn({ err: e }, 'exit status unreadable');
      return undefined;
    }
  }

  /** Records the terminal state once and journals it; `done` resolves after. */
  private async end(
    run: TaskRun,
    outcome: Omit<UpdateFields, 'taskId' | 'frameworkId' | 'source'>,
    checkpoint = true,
    fromExecutor = false,
  ): Promise<void> {
    run.ended = true;
    run.state = outcome.state;
    this.opts.health?.stop(run.taskId);
    if (run.healthKill && outcome.state === TaskState.KILLED) {
      const { consecutiveFailures, cause } = run.healthKill;
      outcome = { ...outcome, reason: TaskReason.TASK_HEALTH_CHECK_STATUS_UPDATED, healthy: false, healthFailures: consecutiveFailures, message: `Killed after ${consecutiveFailures} consecutive failed health checks: ${cause ?? 'failed'}` };
    }
    if (run.executor) run.finalStats = await this.isolation.usage(run.record, this.opts.clock.now(), false, run.log);
    await this.isolation.cleanup(run.record, run.log);
    run.log.info({ state: outcome.state, reason: outcome.reason, exitCode: outcome.exitCode }, 'task ended');
    await this.opts.emit(this.fields(run, { ...outcome, source: fromExecutor ? 'SOURCE_EXECUTOR' : 'SOURCE_AGENT' }), checkpoint);
    run.markDone();
  }

  private fields(run: TaskRun, f: Omit<UpdateFields, 'taskId' | 'frameworkId'>): UpdateFields {
    return { taskId: run.taskId, frameworkId: run.frameworkId, ...f };
  }
}

function failed(message: string): Omit<UpdateFields, 'taskId' | 'frameworkId' | 'source'> {
  return { state: TaskState.FAILED, reason: TaskReason.CONTAINER_LAUNCH_FAILED, message };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

