/** `orrery tasks …`, `orrery agents …`, `orrery leader`: the core's tasks and agents, and who leads. */
import { int, str, type Command, type Group } from './command.ts';
import { age, details, duration, json, resources, usedOf, table, type ResourcesView } from './format.ts';
import { taskLogs } from './follow-logs.ts';

interface Task {
  id: string;
  name: string;
  frameworkId: string;
  agentId?: string;
  hostname?: string;
  state: string;
  reason?: string;
  message?: string;
  pendingReason?: string;
  exitCode?: number;
  resources: ResourcesView;
  command: { shell: boolean; value?: string; arguments?: string[] };
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
}

interface Agent {
  id: string;
  hostname: string;
  state: string;
  resources: { total: ResourcesView; used: ResourcesView; offered: ResourcesView };
  attributes: Record<string, string>;
  isolators: string[];
  tasks: number;
  lastSeenAt: string;
}

const taskPath = (id: string): string => `/v1/tasks/${encodeURIComponent(id)}`;

const tasksLs: Command = {
  name: 'ls',
  aliases: ['list'],
  summary: 'Tasks, newest first (active and recently ended)',
  options: [
    { name: 'state', type: 'string', arg: 'STATE', help: 'only tasks in this state (RUNNING, FAILED, …)' },
    { name: 'agent', type: 'string', arg: 'ID', help: 'only tasks on this agent' },
    { name: 'framework', type: 'string', arg: 'ID', help: 'only tasks of this framework' },
    { name: 'limit', type: 'string', arg: 'N', help: 'at most N tasks (default 100)' },
  ],
  examples: ['orrery tasks ls', 'orrery tasks ls --state RUNNING', 'orrery tasks ls --state FAILED -o json'],
  async run(ctx, values) {
    const r = await ctx.api.get<{ total: number; tasks: Task[] }>('/v1/tasks', {
      query: { state: str(values, 'state'), agent: str(values, 'agent'), framework: str(values, 'framework'), limit: int(str(values, 'limit'), '--limit', 100) },
    });
    if (ctx.json) {
      ctx.out(json(r));
      return 0;
    }
    ctx.out(
      table(
        r.tasks,
        [
          { header: 'task', value: (t) => t.id },
          { header: 'state', value: (t) => t.state },
          { header: 'exit', value: (t) => t.exitCode, right: true },
          { header: 'host', value: (t) => t.hostname },
          { header: 'cpus', value: (t) => t.resources.scalars.cpus, right: true },
          { header: 'mem', value: (t) => t.resources.scalars.mem, right: true },
          { header: 'age', value: (t) => age(t.createdAt) },
          { header: 'reason', value: (t) => t.pendingReason ?? t.message ?? t.reason },
        ],
        'No tasks.',
      ),
    );
    return 0;
  },
};

const tasksGet: Command = {
  name: 'get',
  args: 'ID',
  positionals: [1, 1],
  summary: 'One task: state, reason, exit code, agent, times',
  examples: ['orrery tasks get echo.1a2b3c4d'],
  async run(ctx, _values, [id]) {
    const t = await ctx.api.get<Task>(taskPath(id));
    if (ctx.json) {
      ctx.out(json(t));
      return 0;
    }
    ctx.out(
      details([
        ['id', t.id],
        ['name', t.name],
        ['state', t.state],
        ['reason', t.reason],
        ['message', t.message ?? t.pendingReason],
        ['exit code', t.exitCode],
        ['command', t.command.value ?? t.command.arguments?.join(' ')],
        ['host', t.hostname],
        ['agent', t.agentId],
        ['framework', t.frameworkId],
        ['resources', resources(t.resources)],
        ['created', t.createdAt],
        ['started', t.startedAt],
        ['finished', t.finishedAt],
        ['duration', t.durationMs === undefined ? undefined : duration(t.durationMs)],
      ]),
    );
    return 0;
  },
};

const tasksLogs: Command = {
  name: 'logs',
  args: 'ID',
  positionals: [1, 1],
  summary: "Print a task's stdout (or --stderr); -f follows it until the task ends",
  options: [
    { name: 'follow', short: 'f', type: 'boolean', help: 'keep printing new output until the task ends' },
    { name: 'stderr', type: 'boolean', help: 'stderr instead of stdout' },
  ],
  examples: ['orrery tasks logs echo.1a2b3c4d', 'orrery tasks logs web.0f3e -f', 'orrery tasks logs web.0f3e --stderr'],
  run: (ctx, values, [id]) => taskLogs(ctx, id, values.stderr ? 'stderr' : 'stdout', Boolean(values.follow)),
};

const tasksKill: Command = {
  name: 'kill',
  args: 'ID',
  positionals: [1, 1],
  summary: 'Kill a task: SIGTERM to its process group, SIGKILL after the grace period',
  options: [{ name: 'grace', type: 'string', arg: 'MS', help: 'grace period before SIGKILL, ms' }],
  examples: ['orrery tasks kill echo.1a2b3c4d', 'orrery tasks kill web.0f3e --grace 10000'],
  async run(ctx, values, [id]) {
    const grace = str(values, 'grace');
    const r = await ctx.api.delete<{ id: string; state: string }>(taskPath(id), { query: { gracePeriodMs: grace === undefined ? undefined : int(grace, '--grace') } });
    ctx.out(ctx.json ? json(r) : `task ${r.id}: kill sent (${r.state})\n`);
    return 0;
  },
};

export const tasksGroup: Group = {
  name: 'tasks',
  summary: 'Tasks: the processes agents run for every framework (jobs, apps, one-off commands).',
  commands: [tasksLs, tasksGet, tasksLogs, tasksKill],
};

const agentsLs: Command = {
  name: 'ls',
  aliases: ['list'],
  summary: 'Agents with their state, resources (used/total) and tasks',
  examples: ['orrery agents ls', 'orrery agents ls -o json'],
  async run(ctx) {
    const r = await ctx.api.get<{ agents: Agent[] }>('/v1/agents');
    if (ctx.json) {
      ctx.out(json(r));
      return 0;
    }
    ctx.out(
      table(
        r.agents,
        [
          { header: 'id', value: (a) => a.id },
          { header: 'hostname', value: (a) => a.hostname },
          { header: 'state', value: (a) => a.state },
          { header: 'cpus', value: (a) => usedOf(a.resources.used, a.resources.total, 'cpus') },
          { header: 'mem', value: (a) => usedOf(a.resources.used, a.resources.total, 'mem') },
          { header: 'tasks', value: (a) => a.tasks, right: true },
          { header: 'attributes', value: (a) => Object.entries(a.attributes).map(([k, v]) => `${k}:${v}`).join(';') },
          { header: 'seen', value: (a) => `${age(a.lastSeenAt)} ago` },
        ],
        'No agents.',
      ),
    );
    return 0;
  },
};

const agentsDrain: Command = {
  name: 'drain',
  args: 'ID',
  positionals: [1, 1],
  summary: 'Drain an agent: no new tasks on it; its running tasks keep running',
  examples: ['orrery agents drain 5c1e…', 'orrery agents ls   # state DRAINING'],
  async run(ctx, _values, [id]) {
    const r = await ctx.api.post<unknown>(`/v1/agents/${encodeURIComponent(id)}/drain`);
    ctx.out(ctx.json ? json(r) : `agent ${id} draining\n`);
    return 0;
  },
};

export const agentsGroup: Group = {
  name: 'agents',
  summary: 'Agents: the machines (or slices of one) that run tasks.',
  commands: [agentsLs, agentsDrain],
};

interface Leader {
  id: string;
  address: string;
  epoch: number;
  electedAt: string;
}

export const leaderCommand: Command = {
  name: '',
  summary: 'The leading master: id, address, fencing epoch, elected when',
  examples: ['orrery leader', 'orrery leader -o json'],
  async run(ctx) {
    const l = await ctx.api.get<Leader>('/v1/leader');
    ctx.out(ctx.json ? json(l) : details([['leader', l.id], ['address', l.address], ['epoch', l.epoch], ['elected', `${l.electedAt} (${age(l.electedAt)} ago)`]]));
    return 0;
  },
};
