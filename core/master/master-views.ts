/**
 * Read models of the master's state for the operator API and the UI. Built on request from the live records;
 * nothing here is cached, so a view is always what the master holds at that instant.
 */
import { addResources, emptyResources } from '../resources/resources.ts';
import type { Attributes, Resources } from '../resources/types.ts';
import { isTerminal, type CommandInfo, type TaskReason, type TaskState } from '../sdk/protocol.ts';
import type { Master } from './master.ts';
import type { AgentRecord, AgentState, FrameworkRecord, StatusEntry, TaskRecord } from './records.ts';
import type { TaskFilter } from './task-registry.ts';

export interface AgentView {
  id: string;
  hostname: string;
  state: AgentState;
  resources: { total: Resources; used: Resources; offered: Resources };
  attributes: Attributes;
  isolators: string[];
  version: string;
  registeredAt: string;
  /** The last message from the agent (registration, heartbeat, status update). */
  lastSeenAt: string;
  /**
   * The agent runs in the master's process (`orrery up`): it sends no heartbeats and cannot be cut off, so
   * lastSeenAt (its last status update) says nothing about its health.
   */
  inProcess: boolean;
  tasks: number;
}

export interface FrameworkView {
  id: string;
  name: string;
  role: string;
  weight: number;
  principal?: string;
  active: boolean;
  suppressed: boolean;
  dominantShare: number;
  failoverTimeoutMs: number;
  registeredAt: string;
  disconnectedAt?: string;
  tasks: number;
  offers: number;
  used: Resources;
}

export interface TaskView {
  id: string;
  name: string;
  frameworkId: string;
  agentId: string;
  hostname?: string;
  state: TaskState;
  reason?: TaskReason;
  message?: string;
  exitCode?: number;
  signal?: string;
  healthy?: boolean;
  executorPid?: number;
  resources: Resources;
  command: Omit<CommandInfo, 'env'> & { env?: string[] };
  labels?: Record<string, string>;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  updatedAt: string;
  durationMs?: number;
  history: Array<Omit<StatusEntry, 'timestamp'> & { timestamp: string }>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function sumTasks(tasks: TaskRecord[], pick: (t: TaskRecord) => boolean): Resources {
  let r = emptyResources();
  for (const t of tasks) if (!isTerminal(t.state) && pick(t)) r = addResources(r, t.info.resources);
  return r;
}

export function agentView(master: Master, a: AgentRecord): AgentView {
  const tasks = master.tasks.onAgent(a.id);
  let offered = emptyResources();
  for (const o of master.offers.onAgent(a.id)) offered = addResources(offered, o.resources);
  return {
    id: a.id,
    hostname: a.hostname,
    state: a.state,
    resources: { total: a.resources, used: sumTasks(tasks, () => true), offered },
    attributes: a.attributes,
    isolators: a.isolators,
    version: a.version,
    registeredAt: iso(a.registeredAt),
    lastSeenAt: iso(a.lastSeenAt),
    inProcess: a.link !== undefined && !a.link.remote,
    tasks: tasks.filter((t) => !isTerminal(t.state)).length,
  };
}

export function frameworkView(master: Master, f: FrameworkRecord, shares = master.allocator.frameworkShares()): FrameworkView {
  const tasks = master.tasks.ofFramework(f.id);
  const v: FrameworkView = {
    id: f.id,
    name: f.info.name,
    role: f.info.role,
    weight: f.info.weight,
    active: f.active,
    suppressed: f.suppressed,
    dominantShare: Math.round((shares.get(f.id) ?? 0) * 1e6) / 1e6,
    failoverTimeoutMs: f.info.failoverTimeoutMs,
    registeredAt: iso(f.registeredAt),
    tasks: tasks.filter((t) => !isTerminal(t.state)).length,
    offers: master.offers.countOfFramework(f.id),
    used: sumTasks(tasks, () => true),
  };
  if (f.info.principal) v.principal = f.info.principal;
  if (f.disconnectedAt !== undefined) v.disconnectedAt = iso(f.disconnectedAt);
  return v;
}

export function taskView(master: Master, t: TaskRecord): TaskView {
  const { env, ...command } = t.info.command;
  const v: TaskView = {
    id: t.info.taskId,
    name: t.info.name,
    frameworkId: t.frameworkId,
    agentId: t.agentId,
    state: t.state,
    resources: t.info.resources,
    // Environment values can hold secrets: the view lists the names only.
    command: { ...command, ...(env ? { env: Object.keys(env) } : {}) },
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
    history: t.history.map((h) => ({ ...h, timestamp: iso(h.timestamp) })),
  };
  const host = master.agents.get(t.agentId)?.hostname;
  if (host) v.hostname = host;
  if (t.reason) v.reason = t.reason;
  if (t.message) v.message = t.message;
  if (t.exitCode !== undefined) v.exitCode = t.exitCode;
  if (t.signal) v.signal = t.signal;
  if (t.healthy !== undefined) v.healthy = t.healthy;
  if (t.executorPid !== undefined) v.executorPid = t.executorPid;
  if (t.info.labels) v.labels = t.info.labels;
  if (t.startedAt !== undefined) v.startedAt = iso(t.startedAt);
  if (t.finishedAt !== undefined) v.finishedAt = iso(t.finishedAt);
  if (t.startedAt !== undefined) v.durationMs = (t.finishedAt ?? master.clock.now()) - t.startedAt;
  return v;
}

export function listAgents(master: Master): AgentView[] {
  return [...master.agents.values()].map((a) => agentView(master, a));
}

export function listFrameworks(master: Master): FrameworkView[] {
  const shares = master.allocator.frameworkShares();
  return [...master.frameworks.values()].map((f) => frameworkView(master, f, shares));
}

export function listTasks(master: Master, filter: TaskFilter, limit: number, offset = 0): { total: number; tasks: TaskView[] } {
  const all = master.tasks.filter(filter).sort((a, b) => b.createdAt - a.createdAt);
  return { total: all.length, tasks: all.slice(offset, offset + limit).map((t) => taskView(master, t)) };
}
