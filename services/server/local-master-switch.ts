/**
 * The master of this process's own agents (`orrery up`, `orrery master --with-agent`) across leadership terms:
 * while this replica leads, calls go to its master; while it follows, a registration waits for the next term and
 * status updates are dropped (the agent's update streams re-send them until acknowledged). When a new term starts
 * the agents register again with its master, reporting the tasks they still run — they never stop across a
 * step-down.
 */
import type { AgentLink, AgentRegistration, MasterForAgents } from '../../core/agent/protocol.ts';
import type { Result } from '../../core/errors/result.ts';
import type { Logger } from '../../core/logging/logger.ts';
import type { CallError, TaskStatus } from '../../core/sdk/protocol.ts';

export interface ReregisteringAgent {
  reregister(): Promise<Result<unknown, CallError>>;
}

export class LocalMasterSwitch implements MasterForAgents {
  private master?: MasterForAgents;
  private waiting: Array<() => void> = [];
  private readonly agents = new Set<ReregisteringAgent>();

  constructor(private readonly log: Logger) {}

  /** Agents that registered through this switch and must register again with the next term's master. */
  track(agent: ReregisteringAgent): void {
    this.agents.add(agent);
  }

  /** A term started (`master`) or ended (undefined). */
  set(master: MasterForAgents | undefined): void {
    this.master = master;
    if (!master) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
    for (const agent of this.agents) {
      void agent.reregister().then(
        (r) => {
          if (!r.ok) this.log.warn({ code: r.error.code, reason: r.error.message }, 'local agent re-registration refused');
        },
        (e: unknown) => this.log.warn({ err: e }, 'local agent re-registration failed'),
      );
    }
  }

  async registerAgent(reg: AgentRegistration, link: AgentLink): Promise<Result<{ agentId: string }, CallError>> {
    while (!this.master) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.master.registerAgent(reg, link);
  }

  statusUpdate(agentId: string, status: TaskStatus): void {
    this.master?.statusUpdate(agentId, status);
  }
}
