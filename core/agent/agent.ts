import { hostname as osHostname } from 'node:os';
import { isAbsolute } from 'node:path';
import type { Clock } from '../clock/clock.ts';
import { err, ok, type Result } from '../errors/result.ts';
import type { Logger } from '../logging/logger.ts';
import type { Attributes, Resources } from '../resources/types.ts';
import { isTerminal, TaskReason, TaskState, type CallError, type TaskInfo } from '../sdk/protocol.ts';
import { agentError, AgentErrorCode } from './agent-errors.ts';
import { inheritableEnv } from './executor-launcher.ts';
import { InProcessExecutorSpawner, type ExecutorSpawner } from './executor-spawner.ts';
import { HelperExecutorSpawner } from './helper-executor-spawner.ts';
import { defaultIsolators, type Isolator } from './isolator.ts';
import { selectIsolators } from './isolation/select-isolators.ts';
import type { AgentLink, AgentRegistration, FileChunk, MasterForAgents, TaskStats } from './protocol.ts';
import { SandboxFiles } from './sandbox-files.ts';
import { StatusUpdateManager } from './status-update-manager.ts';
import { TaskCheckpoint, type RecoveredCheckpoint } from './task-checkpoint.ts';
import { TaskRunner, type UpdateFields } from './task-runner.ts';
import { isSafeId, WorkDirLayout } from './work-dir-layout.ts';
import { UriFetcher, type FetcherCounters } from './fetcher/uri-fetcher.ts';
import { TaskHealthChecks } from './health/task-health-checks.ts';
import { DEFAULT_SANDBOX_GC, SandboxGc, type SandboxGcPolicy } from './gc/sandbox-gc.ts';

/** Reported to the master at registration; bump with the package version. */
export const AGENT_VERSION = '0.1.0';

export interface AgentOptions {
  /** Absolute. Holds `meta/` (checkpoint) and `sandboxes/`; reuse it across restarts to recover tasks. */
  workDir: string;
  /** Default `os.hostname()`. */
  hostname?: string;
  /** What the agent advertises (see `detectHostResources`). */
  resources: Resources;
  attributes: Attributes;
  clock: Clock;
  logger: Logger;
  /** Re-send backoff for unacknowledged status updates. Default 1000 → 60000 ms, doubling. */
  statusRetry?: { initialMs: number; maxMs: number };
  /** SIGTERM → SIGKILL delay when neither the task nor the kill call sets one. Default 3000 ms. */
  defaultKillGracePeriodMs?: number;
  /**
   * Who forks executors. `helper` (default): a small long-lived launcher process, so launches cost the same
   * whatever this process's size and never block its event loop in fork+exec. `in-process`: this process forks
   * them itself (each fork costs more as this process grows; see core/agent/README.md).
   */
  executorLauncher?: 'helper' | 'in-process';
  /**
   * `auto` (default: cgroups when the host allows, else posix) | `cgroups` | `posix`, optionally `,pid` for a PID
   * namespace per task. An explicit choice the host cannot honour makes the constructor throw.
   * See core/agent/isolation/README.md.
   */
  isolation?: string;
  /** Top cgroup the agent's task cgroups go under, in each hierarchy (Mesos' --cgroups_root). Default `orrery`. */
  cgroupsRoot?: string;
  /** Cap tasks' CPU time at their `cpus` (CFS quota) besides weighing it (shares). Default false, as Mesos. */
  cgroupsHardCpuQuota?: boolean;
  /** How often isolators measure running tasks (posix RSS, cgroup OOM counters). Default 500 ms. */
  isolationPollMs?: number;
  /** How long and how much finished sandboxes are kept (default 1 week, 10 GiB; see gc/sandbox-gc.ts). */
  sandboxGc?: Partial<SandboxGcPolicy>;
}

type Phase = 'new' | 'started' | 'stopped';

/** What the agent did since it started, for metrics read at scrape time. Counts only; never per task. */
export interface AgentCounters {
  tasksLaunched: number;
  /** Terminal updates sent, by task state. */
  tasksEnded: Map<TaskState, number>;
  /** Tasks an isolator stopped (FAILED with a `REASON_CONTAINER_LIMITATION*` reason), by reason. */
  limitations: Map<string, number>;
}

/**
 * One agent: runs tasks under detached executor shims in sandboxes under its work dir, reports their states to
 * the master reliably (journaled, resent until acknowledged, in order per task) and survives its own restarts.
 *
 * Lifecycle: `start` once (recover the checkpoint, register, replay unacknowledged updates), then the master drives
 * it through `AgentLink`, then `stop` once. Calls after `stop` are ignored (logged). `launch` before `start`
 * works, but its updates wait for the registration. Tasks inherit the agent's environment as it was when the
 * agent was constructed, minus secrets (`ORRERY_SECRET*`, `REDIS_*`).
 *
 * Executors are forked by a small launcher helper process by default (`executorLauncher`), so launches do not
 * slow down as the host process grows (see core/agent/README.md).
 */
export class Agent implements AgentLink {
  readonly counters: AgentCounters = { tasksLaunched: 0, tasksEnded: new Map(), limitations: new Map() };
  private readonly log: Logger;
  private readonly layout: WorkDirLayout;
  private readonly checkpoint: TaskCheckpoint;
  private readonly files: SandboxFiles;
  private readonly streams: StatusUpdateManager;
  private readonly runner: TaskRunner;
  private readonly isolatorList: Isolator[];
  private readonly spawner: ExecutorSpawner;
  private readonly fetcher: UriFetcher;
  private readonly health: TaskHealthChecks;
  private readonly gc: SandboxGc;
  private readonly inFlight = new Set<Promise<void>>();
  private master?: MasterForAgents;
  private id?: string;
  /** The agent id the logger carries. */
  private boundId?: string;
  private phase: Phase = 'new';

  constructor(private readonly opts: AgentOptions) {
    if (!isAbsolute(opts.workDir)) throw new Error(`agent workDir must be absolute: ${opts.workDir}`);
    this.log = opts.logger.child({ component: 'agent' });
    this.layout = new WorkDirLayout(opts.workDir);
    this.checkpoint = new TaskCheckpoint(this.layout, this.log);
    this.files = new SandboxFiles(this.layout, this.log);
    this.isolatorList = [
      ...defaultIsolators(),
      ...selectIsolators({
        isolation: opts.isolation ?? 'auto',
        workDir: opts.workDir,
        cgroupsRoot: opts.cgroupsRoot ?? 'orrery',
        hardCpuQuota: opts.cgroupsHardCpuQuota ?? false,
        pollMs: opts.isolationPollMs ?? 500,
        clock: opts.clock,
        log: this.log,
      }),
    ];
    this.streams = new StatusUpdateManager({
      clock: opts.clock,
      logger: this.log,
      retry: opts.statusRetry ?? { initialMs: 1000, maxMs: 60_000 },
      journal: this.checkpoint,
      // Called only once connected, i.e. after registration set the master and the id.
      send: (status) => this.master?.statusUpdate(this.id as string, { ...status, agentId: this.id as string }),
      onStreamClosed: (taskId) => this.track(this.closeTask(taskId)),
    });
    const inheritedEnv = inheritableEnv(process.env);
    this.fetcher = new UriFetcher({ cacheDir: this.layout.fetcherCacheDir, log: this.log });
    this.health = new TaskHealthChecks({
      clock: opts.clock,
      log: this.log,
      inheritedEnv,
      report: (taskId, report) => this.runner.healthReport(taskId, report),
      kill: (taskId, report) => this.runner.healthKill(taskId, report),
    });
    this.gc = new SandboxGc({
      clock: opts.clock,
      log: this.log,
      layout: this.layout,
      policy: { ...DEFAULT_SANDBOX_GC, ...opts.sandboxGc },
      removed: (taskId) => this.files.forget(taskId),
    });
    const inProcess = new InProcessExecutorSpawner(this.log);
    this.spawner = opts.executorLauncher === 'in-process' ? inProcess : new HelperExecutorSpawner(this.log, inProcess);
    this.runner = new TaskRunner({
      clock: opts.clock,
      log: this.log,
      layout: this.layout,
      checkpoint: this.checkpoint,
      isolators: this.isolatorList,
      spawner: this.spawner,
      inheritedEnv,
      defaultKillGracePeriodMs: opts.defaultKillGracePeriodMs ?? 3000,
      emit: (update, checkpoint, preface) => this.emit(update, checkpoint, preface),
      track: (work) => this.track(work),
      fetcher: this.fetcher,
      health: this.health,
    });
  }

  get agentId(): string | undefined {
    return this.id;
  }

  isolators(): string[] {
    return this.isolatorList.map((i) => i.name);
  }

  runningTasks(): number {
    return this.runner.running();
  }

  get fetcherCounters(): Readonly<FetcherCounters> {
    return this.fetcher.counters;
  }

  /**
   * Recovers the checkpoint (agent id, tasks, unacknowledged updates), registers with the master (sending
   * TaskReports of what still runs or awaits acknowledgement), then replays unacknowledged updates.
   * Rejects if the master refuses the registration; the agent should then be stopped.
   */
  async start(master: MasterForAgents): Promise<{ agentId: string }> {
    if (this.phase !== 'new' || this.master) throw new Error('agent already started or stopped');
    this.master = master;
    this.spawner.start();
    const recovered = await this.checkpoint.init();
    await this.fetcher.init();
    this.id = await this.checkpoint.readAgentId();
    await this.recover(recovered);
    await this.gc.adopt(new Set(this.runner.sandboxes()));
    const result = await master.registerAgent(this.registration(), this);
    if (!result.ok) throw new Error(`agent registration refused: ${result.error.code}: ${result.error.message}`);
    const { agentId } = await this.admitted(result.value.agentId);
    if (this.phase === 'new') this.phase = 'started';
    this.streams.connect();
    this.log.info({ tasks: this.runner.running(), isolators: this.isolators() }, 'agent registered');
    return { agentId };
  }

  /**
   * Registers again with the master given to `start` (after a master restart or a network cut the master asked
   * for it), reporting what runs now, then re-sends every unacknowledged update at once. Only after `start`.
   */
  async reregister(): Promise<Result<{ agentId: string }, CallError>> {
    if (this.phase !== 'started' || !this.master) return err({ code: 'AGENT_NOT_STARTED', message: `agent is ${this.phase}` });
    const result = await this.master.registerAgent(this.registration(), this);
    if (!result.ok) {
      this.log.warn({ code: result.error.code, reason: result.error.message }, 'agent re-registration refused');
      return result;
    }
    const admitted = await this.admitted(result.value.agentId);
    this.streams.connect();
    this.log.info({ tasks: this.runner.running() }, 'agent re-registered');
    return { ok: true, value: admitted };
  }

  private registration(): AgentRegistration {
    return {
      ...(this.id !== undefined && { agentId: this.id }),
      hostname: this.opts.hostname ?? osHostname(),
      resources: this.opts.resources,
      attributes: this.opts.attributes,
      isolators: this.isolators(),
      version: AGENT_VERSION,
      tasks: this.runner.reports(),
    };
  }

  private async admitted(agentId: string): Promise<{ agentId: string }> {
    if (agentId !== this.id) {
      if (this.id !== undefined) this.log.warn({ previous: this.id, agentId }, 'master assigned a new agent id');
      this.id = agentId;
      await this.checkpoint.writeAgentId(agentId);
    }
    if (this.boundId !== agentId) {
      this.log.setBindings({ agentId });
      this.boundId = agentId;
    }
    return { agentId };
  }

  launch(frameworkId: string, task: TaskInfo): void {
    if (this.phase === 'stopped') {
      this.log.warn({ taskId: task?.taskId }, 'launch after stop ignored');
      return;
    }
    this.counters.tasksLaunched++;
    this.track(this.runner.launch(frameworkId, task));
  }

  kill(frameworkId: string, taskId: string, gracePeriodMs?: number): void {
    if (this.phase === 'stopped') {
      this.log.warn({ taskId }, 'kill after stop ignored');
      return;
    }
    if (this.runner.has(taskId)) return this.runner.kill(taskId, gracePeriodMs);
    if (this.files.knows(taskId)) {
      this.log.debug({ taskId }, 'kill of a finished task ignored');
      return;
    }
    // The master believes the task exists here; a terminal answer lets it clean up.
    this.track(this.reportUnknown(frameworkId, taskId));
  }

  acknowledge(taskId: string, uuid: string): void {
    if (this.phase === 'stopped') {
      this.log.debug({ taskId, uuid }, 'acknowledgement after stop ignored');
      return;
    }
    this.streams.acknowledge(taskId, uuid);
  }

  async readFile(taskId: string, path: string, offset: number, length: number): Promise<Result<FileChunk, CallError>> {
    const sandbox = typeof taskId === 'string' ? (this.runner.sandboxOf(taskId) ?? (await this.files.locate(taskId))) : undefined;
    if (!sandbox) {
      const removedAt = typeof taskId === 'string' ? this.gc.removedAt(taskId) : undefined;
      if (removedAt !== undefined) {
        return err(agentError(AgentErrorCode.SANDBOX_REMOVED, `the sandbox of task ${taskId} was removed on ${new Date(removedAt).toISOString()} (finished sandboxes are kept for a limited age and size)`, 'taskId'));
      }
      return err(agentError(AgentErrorCode.TASK_NOT_FOUND, `no task ${String(taskId)} on this agent`, 'taskId'));
    }
    return this.files.read(sandbox, path, offset, length);
  }

  async taskStats(taskId: string): Promise<Result<TaskStats, CallError>> {
    const stats = typeof taskId === 'string' ? await this.runner.stats(taskId) : undefined;
    if (!stats) return err(agentError(AgentErrorCode.TASK_NOT_FOUND, `no usage of task ${String(taskId)} on this agent`, 'taskId'));
    return ok(stats);
  }

  /**
   * killTasks=true: kill every task (SIGTERM, then SIGKILL after its grace period) and wait until their terminal
   * updates are journaled; false: leave them running under their executors for the next agent on this work dir
   * (a kill in progress is forgotten: its SIGKILL is not sent). Stops every timer; updates still unacknowledged
   * (acknowledgements arriving once the stop began are ignored) are sent once more, whole streams in order, and
   * replayed by the next `start`.
   */
  async stop(opts: { killTasks: boolean }): Promise<void> {
    if (this.phase === 'stopped') return;
    this.phase = 'stopped';
    await this.settle();
    if (opts.killTasks) await this.runner.killAll();
    this.runner.detach();
    await this.settle();
    await this.streams.close();
    await this.gc.stop();
    await this.settle(); // checkpoint closes triggered by acknowledgements journaled during close
    await this.checkpoint.close();
    this.log.info({ killTasks: opts.killTasks }, 'agent stopped');
  }

  private async recover({ tasks, badLines }: RecoveredCheckpoint): Promise<void> {
    if (badLines > 0) this.log.warn({ badLines }, 'unreadable checkpoint lines skipped (torn by a crash)');
    for (const recovered of tasks) {
      const { taskId, journal } = recovered;
      if (!isSafeId(taskId)) {
        this.log.warn({ taskId: String(taskId).slice(0, 200) }, 'checkpointed task with an unsafe id ignored');
        continue;
      }
      this.streams.recover(taskId, journal.unacknowledged);
      await this.runner.recover(recovered);
      const latest = journal.updates.at(-1)?.state;
      const settled = journal.unacknowledged.length === 0 && (latest === undefined || isTerminal(latest));
      // Stopped after the terminal acknowledgement but before its `closed` line, or never launched at all.
      if (settled && (!recovered.record || latest !== undefined)) await this.closeTask(taskId);
    }
    await this.runner.recovered();
  }

  private async reportUnknown(frameworkId: string, taskId: string): Promise<void> {
    const checkpoint = isSafeId(taskId);
    await this.emit(
      { taskId: String(taskId), frameworkId: String(frameworkId), state: TaskState.LOST, source: 'SOURCE_AGENT', reason: TaskReason.TASK_UNKNOWN, message: 'Task unknown to the agent' },
      checkpoint,
    );
  }

  /** The terminal update was acknowledged: keep the sandbox readable, close the task in the checkpoint. */
  private async closeTask(taskId: string): Promise<void> {
    const sandbox = this.runner.release(taskId);
    if (sandbox) {
      this.files.remember(taskId, sandbox);
      if (this.phase !== 'stopped') await this.gc.add(taskId, sandbox);
    }
    if (!isSafeId(taskId)) return;
    await this.checkpoint.removeTask(taskId);
  }

  private async emit(update: UpdateFields, checkpoint: boolean, preface?: string): Promise<void> {
    if (isTerminal(update.state)) this.countEnd(update);
    await this.streams.update({ ...update, agentId: this.id ?? '', timestamp: this.opts.clock.now() }, { checkpoint, preface });
  }

  private countEnd(update: UpdateFields): void {
    const { tasksEnded, limitations } = this.counters;
    tasksEnded.set(update.state, (tasksEnded.get(update.state) ?? 0) + 1);
    if (update.reason?.startsWith('REASON_CONTAINER_LIMITATION')) limitations.set(update.reason, (limitations.get(update.reason) ?? 0) + 1);
  }

  private track(work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      (e: unknown) => this.log.error({ err: e }, 'agent operation failed'),
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
  }

  private async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
