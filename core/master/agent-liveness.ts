/**
 * Agent liveness: remote agents (`AgentLink.remote`) heartbeat; one silent for `timeoutMs` is marked
 * DISCONNECTED (its outstanding offers rescinded, its resources out of the allocator: nothing new lands on it),
 * and if it has not re-registered `lostAfterMs` later its unfinished tasks become LOST
 * (REASON_AGENT_DISCONNECTED) and every connected framework gets a FAILURE event for the agent. An agent that
 * comes back in between re-registers and keeps its tasks; one that comes back later has the tasks the master
 * already ended killed by the re-registration (agent-registration.ts).
 *
 *   ACTIVE|DRAINING ──no heartbeat for timeoutMs──▶ DISCONNECTED ──lostAfterMs──▶ tasks LOST, FAILURE
 *          ▲                                           │
 *          └──────────── registerAgent ◀───────────────┘
 *
 * In-process agents are never checked: they share the master's process and cannot be cut off from it (their view
 * says `inProcess`, and their lastSeenAt is only their last status update).
 */
import type { TimerHandle } from '../clock/clock.ts';
import { isTerminal } from '../sdk/protocol.ts';
import { AgentState, type AgentRecord } from './records.ts';
import type { Master } from './master.ts';

export interface AgentLivenessOptions {
  /** No heartbeat (or update) for this long → DISCONNECTED. */
  timeoutMs: number;
  /** DISCONNECTED for this long without re-registering → its tasks LOST. */
  lostAfterMs: number;
  /** How often agents are checked. */
  checkEveryMs: number;
}

export class AgentLiveness {
  private timer?: TimerHandle;

  constructor(
    private readonly master: Master,
    readonly opts: AgentLivenessOptions,
  ) {}

  start(): void {
    this.timer = this.master.clock.setInterval(() => this.check(), this.opts.checkEveryMs);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Marks every remote agent silent for longer than the timeout disconnected. */
  check(): void {
    const now = this.master.clock.now();
    for (const agent of this.master.agents.values()) {
      if (!agent.link?.remote || (agent.state !== AgentState.ACTIVE && agent.state !== AgentState.DRAINING)) continue;
      const silentMs = now - agent.lastSeenAt;
      if (silentMs > this.opts.timeoutMs) this.disconnect(agent, `no heartbeat for ${silentMs} ms`);
    }
  }

  disconnect(agent: AgentRecord, why: string): void {
    const master = this.master;
    agent.state = AgentState.DISCONNECTED;
    for (const o of master.offers.onAgent(agent.id)) master.rescind(o);
    master.allocator.removeAgent(agent.id);
    master.log.warn({ agentId: agent.id, hostname: agent.hostname, why, lostAfterMs: this.opts.lostAfterMs }, 'agent disconnected');
    agent.reregisterTimer?.cancel();
    agent.reregisterTimer = master.clock.setTimeout(() => {
      agent.reregisterTimer = undefined;
      if (master.agents.get(agent.id) !== agent || agent.state !== AgentState.DISCONNECTED) return;
      loseAgentTasks(master, agent, `agent ${agent.id} (${agent.hostname}) disconnected: ${why}; not back within ${this.opts.lostAfterMs} ms`);
    }, this.opts.lostAfterMs);
    master.scheduleAllocation();
  }
}

/**
 * The agent is given up on: its unfinished tasks become LOST with a reason and every connected framework hears a
 * FAILURE for the agent (Mesos' agent removal). Used after a disconnection and after a master start the agent
 * did not re-register in time.
 */
export function loseAgentTasks(master: Master, agent: AgentRecord, message: string): void {
  let lost = 0;
  for (const rec of master.tasks.onAgent(agent.id)) {
    if (isTerminal(rec.state)) continue;
    lost++;
    void master.masterUpdate(rec, 'LOST', 'REASON_AGENT_DISCONNECTED', message).catch((e: unknown) => {
      master.log.warn({ agentId: agent.id, taskId: rec.info.taskId, err: e }, 'lost task not persisted');
    });
  }
  master.log.warn({ agentId: agent.id, hostname: agent.hostname, tasks: lost }, 'agent lost; its tasks are LOST');
  for (const fw of master.frameworks.values()) fw.conn?.send({ type: 'FAILURE', agentId: agent.id, message });
}
