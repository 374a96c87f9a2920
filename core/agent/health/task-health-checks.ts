/**
 * Runs the health checks of an agent's RUNNING tasks (Mesos runs them in the command executor; here the agent
 * does, so the executor stays a tiny `sh` shim). One timer chain per task, through the Clock: the first check
 * `delayMs` after the start, the next `intervalMs` after the previous one started (or when it ended, if it took
 * longer: a check never overlaps itself). Outcomes go through `nextHealth`; changes are reported, a reached
 * threshold kills (or is reported, when the check does not kill).
 */
import type { Clock, TimerHandle } from '../../clock/clock.ts';
import type { Logger } from '../../logging/logger.ts';
import type { TaskInfo } from '../../sdk/protocol.ts';
import { taskEnv } from '../executor-launcher.ts';
import { defaultHealthProbe, type HealthProbe, type ProbeTarget } from './health-probes.ts';
import { INITIAL_HEALTH, nextHealth, resolveHealthCheck, type HealthReport, type HealthState, type ResolvedHealthCheck } from './health-state.ts';

export interface TaskHealthChecksDeps {
  clock: Clock;
  log: Logger;
  /** The agent's environment minus secrets: COMMAND checks get it with the task's own, as the task does. */
  inheritedEnv: Record<string, string>;
  probe?: HealthProbe;
  /** The task's health changed (or reached the threshold of a check that does not kill): send an update. */
  report(taskId: string, report: HealthReport): void;
  /** The threshold was reached: kill the task for its health. */
  kill(taskId: string, report: HealthReport): void;
}

interface Watch {
  taskId: string;
  check: ResolvedHealthCheck;
  target: ProbeTarget;
  startedAt: number;
  state: HealthState;
  timer?: TimerHandle;
  stopped: boolean;
}

export class TaskHealthChecks {
  private readonly watches = new Map<string, Watch>();
  private readonly probe: HealthProbe;

  constructor(private readonly deps: TaskHealthChecksDeps) {
    this.probe = deps.probe ?? defaultHealthProbe;
  }

  get size(): number {
    return this.watches.size;
  }

  /**
   * Starts checking a task that just became RUNNING (or was re-attached after a restart: its checks start over,
   * as Mesos' do when an executor restarts them). Tasks without a health check are ignored. Returns why a check
   * cannot run (bad port index, no command): the task runs unchecked and the caller reports it.
   */
  start(frameworkId: string, task: TaskInfo, sandbox: string): string | undefined {
    if (!task.healthCheck) return undefined;
    this.stop(task.taskId);
    const check = resolveHealthCheck(task);
    if (!check.ok) return check.error;
    const env = taskEnv(this.deps.inheritedEnv, task.command ?? { shell: false }, { wrapperArgs: [], env: {} }, { frameworkId, taskId: task.taskId, sandbox });
    const w: Watch = { taskId: task.taskId, check: check.value, target: { sandbox, env }, startedAt: this.deps.clock.now(), state: INITIAL_HEALTH, stopped: false };
    this.watches.set(task.taskId, w);
    this.schedule(w, check.value.delayMs);
    return undefined;
  }

  /** Stops a task's checks (killed, ended, or the agent stops); a probe in flight is ignored when it ends. */
  stop(taskId: string): void {
    const w = this.watches.get(taskId);
    if (!w) return;
    w.stopped = true;
    w.timer?.cancel();
    this.watches.delete(taskId);
  }

  stopAll(): void {
    for (const taskId of [...this.watches.keys()]) this.stop(taskId);
  }

  private schedule(w: Watch, delayMs: number): void {
    w.timer = this.deps.clock.setTimeout(() => void this.run(w), delayMs);
  }

  private async run(w: Watch): Promise<void> {
    if (w.stopped) return;
    const started = this.deps.clock.now();
    const outcome = await this.probe(w.check, w.target).catch((e: unknown) => ({ ok: false, cause: e instanceof Error ? e.message : String(e) }));
    if (w.stopped) return;
    const now = this.deps.clock.now();
    const step = nextHealth(w.state, outcome, w.check, w.startedAt, now);
    w.state = step.state;
    if (step.kill) {
      this.deps.log.info({ taskId: w.taskId, failures: step.state.consecutiveFailures, cause: outcome.cause }, 'task failed its health check; killing it');
      this.stop(w.taskId);
      this.deps.kill(w.taskId, step.report as HealthReport);
      return;
    }
    if (step.report) this.deps.report(w.taskId, step.report);
    this.schedule(w, Math.max(0, started + w.check.intervalMs - now));
  }
}
