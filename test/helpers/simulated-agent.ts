/**
 * An in-process agent that runs no processes: it answers launches with RUNNING and finishes tasks when told
 * (or at once with `autoFinish`). For master tests and the master-path benchmark, where many agents are
 * needed and the agent's own behaviour is tested elsewhere with real processes.
 */
import { randomUUID } from 'node:crypto';
import type { AgentLink, FileChunk, MasterForAgents, TaskStats } from '../../core/agent/protocol.ts';
import { err, type Result } from '../../core/errors/result.ts';
import type { Resources } from '../../core/resources/types.ts';
import type { CallError, TaskInfo, TaskState, TaskStatus } from '../../core/sdk/protocol.ts';

export interface SimulatedAgentOptions {
  hostname: string;
  resources: Resources;
  attributes?: Record<string, string>;
  /** Finish every task with exit 0 right after RUNNING. */
  autoFinish?: boolean;
  now?: () => number;
}

export class SimulatedAgent implements AgentLink {
  agentId = '';
  readonly tasks = new Map<string, { frameworkId: string; task: TaskInfo; state: TaskState }>();
  readonly unacked = new Map<string, TaskStatus>();
  readonly killed: string[] = [];
  private master?: MasterForAgents;

  constructor(private readonly opts: SimulatedAgentOptions) {}

  async register(master: MasterForAgents): Promise<string> {
    this.master = master;
    const r = await master.registerAgent(
      { agentId: this.agentId || undefined, hostname: this.opts.hostname, resources: this.opts.resources, attributes: this.opts.attributes ?? {}, isolators: ['simulated'], version: 'test', tasks: [...this.tasks.values()] },
      this,
    );
    if (!r.ok) throw new Error(`registration refused: ${r.error.message}`);
    this.agentId = r.value.agentId;
    return this.agentId;
  }

  launch(frameworkId: string, task: TaskInfo): void {
    this.tasks.set(task.taskId, { frameworkId, task, state: 'RUNNING' });
    this.send(frameworkId, task.taskId, 'RUNNING');
    if (this.opts.autoFinish) this.finish(task.taskId, 0);
  }

  finish(taskId: string, exitCode: number): void {
    const t = this.tasks.get(taskId);
    if (!t) throw new Error(`no task ${taskId}`);
    t.state = exitCode === 0 ? 'FINISHED' : 'FAILED';
    this.send(t.frameworkId, taskId, t.state, exitCode);
  }

  kill(_frameworkId: string, taskId: string): void {
    this.killed.push(taskId);
    const t = this.tasks.get(taskId);
    if (!t || t.state !== 'RUNNING') return;
    t.state = 'KILLED';
    this.send(t.frameworkId, taskId, 'KILLED');
  }

  acknowledge(_taskId: string, uuid: string): void {
    this.unacked.delete(uuid);
  }

  readFile(): Promise<Result<FileChunk, CallError>> {
    return Promise.resolve(err({ code: 'TASK_NOT_FOUND', message: 'simulated agents keep no sandboxes' }));
  }

  taskStats(): Promise<Result<TaskStats, CallError>> {
    return Promise.resolve(err({ code: 'TASK_NOT_FOUND', message: 'simulated agents measure no usage' }));
  }

  private send(frameworkId: string, taskId: string, state: TaskState, exitCode?: number): void {
    const uuid = randomUUID();
    // randomUUID returns a rope of ~13 pieces (~450 bytes); reading a character flattens it to ~50 bytes.
    uuid.charCodeAt(0);
    const status: TaskStatus = { taskId, frameworkId, agentId: this.agentId, state, source: 'SOURCE_EXECUTOR', timestamp: this.opts.now?.() ?? Date.now(), uuid };
    if (exitCode !== undefined) status.exitCode = exitCode;
    this.unacked.set(status.uuid!, status);
    this.master!.statusUpdate(this.agentId, status);
  }
}
