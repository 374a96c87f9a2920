/**
 * The master side of the agent benches: records an agent's status updates, acknowledges each at once, and resolves
 * waiters on (task, state). Just enough of MasterForAgents to drive a real Agent without a master.
 */
import type { AgentLink, AgentRegistration, MasterForAgents } from '../../core/agent/protocol.ts';
import { ok, type Result } from '../../core/errors/result.ts';
import type { CallError, TaskInfo, TaskStatus } from '../../core/sdk/protocol.ts';

export const BENCH_AGENT_ID = 'bench-agent';

export class BenchMaster implements MasterForAgents {
  private link?: AgentLink;
  private readonly waiters = new Map<string, (s: TaskStatus) => void>();
  private readonly seen = new Map<string, TaskStatus>();

  async registerAgent(_reg: AgentRegistration, link: AgentLink): Promise<Result<{ agentId: string }, CallError>> {
    this.link = link;
    return ok({ agentId: BENCH_AGENT_ID });
  }

  statusUpdate(_agentId: string, status: TaskStatus): void {
    const key = `${status.taskId} ${status.state}`;
    this.seen.set(key, status);
    this.waiters.get(key)?.(status);
    this.waiters.delete(key);
    queueMicrotask(() => this.link?.acknowledge(status.taskId, status.uuid as string));
  }

  next(taskId: string, state: TaskStatus['state']): Promise<TaskStatus> {
    const key = `${taskId} ${state}`;
    const done = this.seen.get(key);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => this.waiters.set(key, resolve));
  }
}

/** A task running `true` with the given scalars. */
export const trueTask = (taskId: string, scalars: Record<string, number>): TaskInfo => ({
  taskId,
  name: taskId,
  agentId: BENCH_AGENT_ID,
  resources: { scalars, ranges: {}, sets: {} },
  command: { shell: true, value: 'true' },
});
