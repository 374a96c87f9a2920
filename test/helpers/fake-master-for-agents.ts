import { ok, type Result } from '../../core/errors/result.ts';
import type { AgentLink, AgentRegistration, MasterForAgents } from '../../core/agent/protocol.ts';
import type { CallError, TaskState, TaskStatus } from '../../core/sdk/protocol.ts';

/**
 * A stand-in master for agent tests: records registrations and every delivered status update, and acknowledges
 * updates unless `shouldAck` says otherwise (e.g. to drop first deliveries and exercise re-sending).
 */
export class FakeMasterForAgents implements MasterForAgents {
  readonly registrations: AgentRegistration[] = [];
  /** Every delivery, duplicates included, in arrival order. */
  readonly deliveries: TaskStatus[] = [];
  link?: AgentLink;
  /** Decides per delivery whether to acknowledge it; `seen` counts earlier deliveries of the same uuid. */
  shouldAck: (status: TaskStatus, seen: number) => boolean = () => true;

  constructor(private readonly assignedId = 'agent-test-1') {}

  async registerAgent(reg: AgentRegistration, link: AgentLink): Promise<Result<{ agentId: string }, CallError>> {
    this.registrations.push(reg);
    this.link = link;
    return ok({ agentId: reg.agentId ?? this.assignedId });
  }

  statusUpdate(_agentId: string, status: TaskStatus): void {
    const seen = this.deliveries.filter((d) => d.uuid === status.uuid).length;
    this.deliveries.push(status);
    if (this.shouldAck(status, seen)) {
      // Asynchronously, as a real master acknowledges after persisting.
      setImmediate(() => this.link?.acknowledge(status.taskId, status.uuid as string));
    }
  }

  /** Distinct updates of a task (first delivery of each uuid), in order. */
  updates(taskId: string): TaskStatus[] {
    const seen = new Set<string>();
    return this.deliveries.filter((d) => d.taskId === taskId && !seen.has(d.uuid as string) && seen.add(d.uuid as string));
  }

  states(taskId: string): TaskState[] {
    return this.updates(taskId).map((u) => u.state);
  }

  /** The first update of the task in `state`, if delivered. */
  find(taskId: string, state: TaskState): TaskStatus | undefined {
    return this.deliveries.find((d) => d.taskId === taskId && d.state === state);
  }
}
