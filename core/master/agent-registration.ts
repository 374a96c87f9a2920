/**
 * Agent (re-)registration: admits the agent, reconciles the tasks it reports against what the master knows
 * (tasks the agent no longer has become LOST; tasks only the agent knows are adopted or, without a framework,
 * killed), and hands the agent's resources to the allocator with what those tasks already use.
 */
import type { AgentLink, AgentRegistration } from '../agent/protocol.ts';
import { addResources, emptyResources } from '../resources/resources.ts';
import type { Resources } from '../resources/types.ts';
import { err, ok, type Result } from '../errors/result.ts';
import { isTerminal, TASK_STATES, type CallError, type TaskState } from '../sdk/protocol.ts';
import { validateId, validateResources, validateString, validateTaskInfo } from './validation.ts';
import { AgentState, Collections, persistedAgent, persistedTask, TaskRecord, type AgentRecord } from './records.ts';
import type { Master } from './master.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function validateAttributes(v: unknown): Result<Record<string, string>, CallError> {
  if (v === undefined) return ok({});
  if (!isRecord(v) || Object.keys(v).length > 100) return err({ code: 'INVALID_FIELD', field: 'attributes', message: 'attributes must be an object of at most 100 strings' });
  for (const [k, value] of Object.entries(v)) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(k) || typeof value !== 'string' || value.length > 256) {
      return err({ code: 'INVALID_FIELD', field: `attributes.${k.slice(0, 64)}`, message: 'attribute names are 1-64 characters of A-Z a-z 0-9 _ . -, values strings of at most 256' });
    }
  }
  return ok(v as Record<string, string>);
}

interface CheckedRegistration {
  hostname: string;
  resources: Resources;
  attributes: Record<string, string>;
}

/** Field-by-field validation of a registration (what `registerAgent` checks first); errors name the field. */
export function checkRegistration(reg: AgentRegistration): Result<CheckedRegistration, CallError> {
  if (!isRecord(reg)) return err({ code: 'INVALID_FIELD', field: 'registration', message: 'registration must be an object' });
  const hostname = validateString(reg.hostname, 'hostname', 255);
  if (!hostname.ok) return hostname;
  const resources = validateResources(reg.resources, 'resources');
  if (!resources.ok) return resources;
  const attributes = validateAttributes(reg.attributes);
  if (!attributes.ok) return attributes;
  if (!Array.isArray(reg.isolators) || !reg.isolators.every((i) => typeof i === 'string' && i.length <= 64)) {
    return err({ code: 'INVALID_FIELD', field: 'isolators', message: 'isolators must be a list of names' });
  }
  if (!Array.isArray(reg.tasks)) return err({ code: 'INVALID_FIELD', field: 'tasks', message: 'tasks must be a list' });
  for (let i = 0; i < reg.tasks.length; i++) {
    const r = reg.tasks[i];
    const fid = validateId(r?.frameworkId, `tasks[${i}].frameworkId`);
    if (!fid.ok) return fid;
    const t = validateTaskInfo(r.task, `tasks[${i}].task`);
    if (!t.ok) return t;
    if (!(TASK_STATES as string[]).includes(r.state)) return err({ code: 'INVALID_FIELD', field: `tasks[${i}].state`, message: 'unknown task state' });
  }
  return ok({ hostname: hostname.value, resources: resources.value, attributes: attributes.value });
}

export async function registerAgent(master: Master, reg: AgentRegistration, link: AgentLink): Promise<Result<{ agentId: string }, CallError>> {
  const checked = checkRegistration(reg);
  if (!checked.ok) return checked;
  const { hostname, resources, attributes } = checked.value;

  const now = master.clock.now();
  let agent: AgentRecord | undefined;
  if (reg.agentId !== undefined) {
    const id = validateId(reg.agentId, 'agentId');
    if (!id.ok) return id;
    agent = master.agents.get(id.value);
    if (agent?.state === AgentState.GONE) return err({ code: 'AGENT_GONE', field: 'agentId', message: `agent ${id.value} was marked gone and may not re-register` });
    if (agent) {
      for (const o of master.offers.onAgent(agent.id)) master.rescind(o);
      if (agent.state === AgentState.ACTIVE || agent.state === AgentState.DRAINING) master.allocator.removeAgent(agent.id);
      agent.reregisterTimer?.cancel();
      agent.reregisterTimer = undefined;
      if (agent.link && agent.link !== link) agent.link.close?.('replaced by a newer registration');
    }
  }
  const agentId = agent?.id ?? reg.agentId ?? master.agentIds.next();
  const record: AgentRecord = {
    id: agentId,
    hostname,
    resources,
    attributes,
    isolators: reg.isolators,
    version: typeof reg.version === 'string' ? reg.version.slice(0, 64) : 'unknown',
    registeredAt: agent?.registeredAt ?? now,
    state: agent?.draining ? AgentState.DRAINING : AgentState.ACTIVE,
    ...(agent?.draining && { draining: true }),
    lastSeenAt: now,
    link,
  };
  master.agents.set(agentId, record);
  await master.store.put(Collections.agents, agentId, persistedAgent(record));

  const reported = new Map(reg.tasks.map((r) => [r.task.taskId, r]));
  for (const rec of master.tasks.onAgent(agentId)) {
    if (isTerminal(rec.state) || reported.has(rec.info.taskId)) continue;
    if (rec.state === 'STAGING' && !rec.killRequested && master.frameworks.has(rec.frameworkId)) {
      // Stored as launched, but the agent never had it (it records a launch at once, before any await): the
      // master that launched it died between storing and sending (a failover). Nothing of it ran, so send it again.
      master.log.info({ agentId, taskId: rec.info.taskId }, 'task never reached its agent; launching it again');
      link.launch(rec.frameworkId, rec.info);
      continue;
    }
    await master.masterUpdate(rec, 'LOST', 'REASON_AGENT_RESTARTED', 'the agent no longer knows this task');
  }
  for (const r of reg.tasks) {
    const rec = master.tasks.get(r.task.taskId);
    if (rec) {
      // A task the master already ended (e.g. LOST while the agent was away) must not keep running unseen.
      if (!isTerminal(r.state as TaskState) && (isTerminal(rec.state) || rec.killRequested)) link.kill(rec.frameworkId, rec.info.taskId);
      continue;
    }
    if (!master.frameworks.has(r.frameworkId)) {
      master.log.info({ agentId, taskId: r.task.taskId, frameworkId: r.frameworkId }, 'killing a task of an unknown framework');
      link.kill(r.frameworkId, r.task.taskId);
      continue;
    }
    const adopted = master.tasks.add(TaskRecord.fresh({ ...r.task, agentId }, r.frameworkId, agentId, r.state as TaskState, now));
    await master.store.put(Collections.tasks, adopted.info.taskId, persistedTask(adopted));
  }

  const inUse = new Map<string, Resources>();
  for (const rec of master.tasks.onAgent(agentId)) {
    if (isTerminal(rec.state) || !master.frameworks.has(rec.frameworkId)) continue;
    inUse.set(rec.frameworkId, addResources(inUse.get(rec.frameworkId) ?? emptyResources(), rec.info.resources));
  }
  // A concurrent registration of the same agent (a retried request) may have added it while this one awaited.
  master.allocator.removeAgent(agentId);
  master.allocator.addAgent(agentId, resources, [...inUse].map(([frameworkId, r]) => ({ frameworkId, resources: r })));
  if (record.draining) master.allocator.deactivateAgent(agentId);
  master.log.info({ agentId, hostname, reregistered: agent !== undefined, tasks: reg.tasks.length }, 'agent registered');
  master.scheduleAllocation();
  return ok({ agentId });
}
