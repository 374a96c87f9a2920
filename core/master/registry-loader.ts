/**
 * Rebuilds the master's memory from the registry store at start. Frameworks come back disconnected (their
 * failover timeout runs from now), agents come back RECOVERING (they have the re-register timeout to report
 * what still runs), tasks come back as last persisted. Nothing is killed here: a failover never kills a task.
 */
import { AgentState, Collections, type AgentRecord, type FrameworkRecord, type PersistedAgent, type PersistedFramework, type PersistedTask } from './records.ts';
import type { Master } from './master.ts';
import { loseAgentTasks } from './agent-liveness.ts';

export async function loadRegistry(master: Master): Promise<void> {
  const [agents, frameworks, tasks] = await Promise.all([
    master.store.getAll<PersistedAgent>(Collections.agents),
    master.store.getAll<PersistedFramework>(Collections.frameworks),
    master.store.getAll<PersistedTask>(Collections.tasks),
  ]);
  const now = master.clock.now();
  for (const p of frameworks.values()) {
    const fw: FrameworkRecord = { ...p, active: false, suppressed: false, disconnectedAt: now };
    master.frameworks.set(p.id, fw);
    master.allocator.addFramework(p.id, { role: p.info.role, weight: p.info.weight });
    master.allocator.deactivateFramework(p.id);
    fw.failoverTimer = master.clock.setTimeout(() => void master.removeFramework(fw, 'failover timeout expired'), p.info.failoverTimeoutMs);
  }
  for (const p of tasks.values()) master.tasks.add(p);
  for (const p of agents.values()) {
    const agent: AgentRecord = { ...p, state: AgentState.RECOVERING, lastSeenAt: now };
    master.agents.set(p.id, agent);
    agent.reregisterTimer = master.clock.setTimeout(() => {
      if (agent.state !== AgentState.RECOVERING) return;
      agent.state = AgentState.DISCONNECTED;
      master.log.warn({ agentId: p.id }, 'agent did not re-register in time; its tasks are lost');
      loseAgentTasks(master, agent, `agent ${p.id} (${p.hostname}) did not re-register within ${master.agentReregisterTimeoutMs} ms of the master's start`);
    }, master.agentReregisterTimeoutMs);
  }
}
