/**
 * Tasks: list and inspect every task the master holds, read sandbox files, kill; and run one-off commands
 * through the built-in execute framework (`POST /v1/tasks`, what `mesos-execute` is to Mesos).
 */
import type { FastifyInstance } from 'fastify';
import type { Master } from '../../../core/master/master.ts';
import { listTasks, taskView, type TaskView } from '../../../core/master/master-views.ts';
import { AgentState } from '../../../core/master/records.ts';
import { addResources, containsResources, formatResources, parseResources, resourcesFromRequest } from '../../../core/resources/resources.ts';
import { describeShortfall } from '../../../core/resources/shortfall.ts';
import { parseConstraints } from '../../../core/sdk/constraints.ts';
import { isTerminal, type HealthCheck, type UriInfo } from '../../../core/sdk/protocol.ts';
import type { ExecuteFramework, PendingTask } from '../../tasks/execute-framework.ts';
import { ApiError, ERRORS, fromCallError } from '../errors.ts';
import type { RouteModule } from '../http-server.ts';
import { idParams, TASK_STATE_ENUM, taskSchema } from './core-schemas.ts';

export interface TaskDeps {
  master(): Master;
  execute(): { framework: ExecuteFramework; frameworkId: string | undefined };
}

interface SubmitBody {
  name?: string;
  command: string | string[];
  cpus: number;
  mem: number;
  disk?: number;
  gpus?: number;
  resources?: string;
  env?: Record<string, string>;
  constraints?: unknown;
  killGracePeriodMs?: number;
  uris?: Array<string | UriInfo>;
  healthCheck?: HealthCheck;
}

const uriObject = {
  type: 'object',
  required: ['value'],
  additionalProperties: false,
  properties: {
    value: { type: 'string', minLength: 1, maxLength: 4096, pattern: '^(https?|file)://\\S+$|^/\\S*$' },
    extract: { type: 'boolean', description: 'Unpack .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz, .zip into the sandbox (default true)' },
    executable: { type: 'boolean', description: 'Mark the file executable (disables extraction)' },
    cache: { type: 'boolean', description: "Keep the download in the agent's cache and reuse it for the same URI" },
    outputFile: { type: 'string', minLength: 1, maxLength: 1024, pattern: '^(?!/)(?!.*(^|/)\\.\\.(/|$)).+$', description: 'Name in the sandbox (default: the last segment of the URI)' },
  },
} as const;

const healthCheckBody = {
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  description: "Run by the agent against the RUNNING task; results appear as the task's `healthy`. After consecutiveFailures failures in a row the task is killed (unless killOnFailure is false)",
  properties: {
    type: { type: 'string', enum: ['HTTP', 'TCP', 'COMMAND'] },
    path: { type: 'string', maxLength: 2048, pattern: '^/', description: 'HTTP: GET http://127.0.0.1:<port><path>; 2xx and 3xx pass' },
    portIndex: { type: 'integer', minimum: 0, maximum: 1000, description: "HTTP, TCP: which port of the task's ports resource (default 0)" },
    command: { type: 'string', minLength: 1, maxLength: 65536, description: "COMMAND: run with /bin/sh -c in the sandbox with the task's env; exit 0 passes" },
    delayMs: { type: 'integer', minimum: 0, maximum: 86400000 },
    gracePeriodMs: { type: 'integer', minimum: 0, maximum: 86400000, description: 'Failures before the first success within this time do not count (default 10000)' },
    intervalMs: { type: 'integer', minimum: 1, maximum: 86400000, description: 'Default 10000' },
    timeoutMs: { type: 'integer', minimum: 1, maximum: 86400000, description: 'Default 20000' },
    consecutiveFailures: { type: 'integer', minimum: 0, maximum: 1000, description: 'Default 3; 0 = never' },
    killOnFailure: { type: 'boolean', description: 'Default true' },
  },
} as const;

const submitBody = {
  type: 'object',
  required: ['command', 'cpus', 'mem'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_. -]+$' },
    command: {
      description: 'A shell command (run with /bin/sh -c), or argv as a list',
      oneOf: [
        { type: 'string', minLength: 1, maxLength: 65536 },
        { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', maxLength: 16384 } },
      ],
    },
    cpus: { type: 'number', exclusiveMinimum: 0, maximum: 100000 },
    mem: { type: 'number', minimum: 0, maximum: 1e9, description: 'MB' },
    disk: { type: 'number', minimum: 0, maximum: 1e12, description: 'MB' },
    gpus: { type: 'number', minimum: 0, maximum: 1024 },
    resources: { type: 'string', maxLength: 4096, description: 'More resources in Mesos syntax, e.g. `cassandra-slot:1;ports:[31000-31000]`' },
    env: { type: 'object', maxProperties: 1000, propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]{0,255}$' }, additionalProperties: { type: 'string', maxLength: 32768 } },
    constraints: {
      type: 'array',
      maxItems: 50,
      description: 'Marathon-style [field, operator, value] with operator EQUALS, CLUSTER, LIKE or UNLIKE; field is hostname or an agent attribute',
      items: { type: 'array', minItems: 3, maxItems: 3, items: { type: 'string', maxLength: 256 } },
    },
    killGracePeriodMs: { type: 'integer', minimum: 0, maximum: 3600000 },
    uris: {
      type: 'array',
      maxItems: 100,
      description: 'Fetched into the sandbox before the command starts (http, https, file); the command runs in the sandbox',
      items: { oneOf: [{ type: 'string', minLength: 1, maxLength: 4096, pattern: '^(https?|file)://\\S+$|^/\\S*$' }, uriObject] },
    },
    healthCheck: healthCheckBody,
  },
} as const;

const taskRef = {
  type: 'object',
  required: ['id', 'state', 'url'],
  properties: { id: { type: 'string' }, state: { type: 'string', enum: TASK_STATE_ENUM }, url: { type: 'string' } },
} as const;

const seconds = (description: string) => ({ type: 'number', description }) as const;
const bytes = (description: string) => ({ type: 'integer', description }) as const;

const taskStatsSchema = {
  type: 'object',
  required: ['taskId', 'timestamp', 'running', 'isolation', 'cpusUserTimeSecs', 'cpusSystemTimeSecs'],
  properties: {
    taskId: { type: 'string' },
    timestamp: { type: 'number', description: 'When the agent sampled it, ms since epoch' },
    running: { type: 'boolean', description: 'False: the last sample, taken as the task ended' },
    isolation: { type: 'string', description: 'What measured it: cgroups/v1, cgroups/v2 or posix' },
    cpusLimit: { type: 'number', description: 'The cpus the task was given' },
    cpusUserTimeSecs: seconds('CPU time in user mode'),
    cpusSystemTimeSecs: seconds('CPU time in the kernel'),
    cpusNrPeriods: { type: 'integer', description: 'CFS periods elapsed (cgroups)' },
    cpusNrThrottled: { type: 'integer', description: 'Periods in which the task was throttled (cgroups)' },
    cpusThrottledTimeSecs: seconds('Time throttled (cgroups)'),
    memRssBytes: bytes('Resident memory'),
    memTotalBytes: bytes('Memory counted against the limit: cgroup usage (resident + page cache), or RSS under posix'),
    memMaxTotalBytes: bytes('Peak of memTotalBytes (cgroups)'),
    memLimitBytes: bytes('The memory limit enforced'),
    memOomKills: { type: 'integer', description: "Processes the kernel's OOM killer killed in the task's cgroup" },
    processes: { type: 'integer', description: 'Processes of the task' },
  },
} as const;

function pendingView(p: PendingTask, frameworkId: string | undefined): TaskView & { pendingReason?: string } {
  const { command, env, resources, name } = p.request;
  const at = new Date(p.submittedAt).toISOString();
  const v: TaskView & { pendingReason?: string } = {
    id: p.id,
    name,
    frameworkId: frameworkId ?? '',
    agentId: '',
    state: 'PENDING' as TaskView['state'],
    resources,
    command: typeof command === 'string' ? { shell: true, value: command, env: Object.keys(env ?? {}) } : { shell: false, arguments: command, env: Object.keys(env ?? {}) },
    createdAt: at,
    updatedAt: at,
    history: [],
  };
  if (p.pendingReason) v.pendingReason = p.pendingReason;
  return v;
}

export function taskRoutes(deps: TaskDeps): RouteModule {
  return (app: FastifyInstance) => {
    app.post<{ Body: SubmitBody }>('/v1/tasks', {
      config: { access: 'operator' },
      schema: {
        operationId: 'runTask',
        tags: ['tasks'],
        summary: 'Run a one-off command through the built-in execute framework',
        body: submitBody,
        response: { 202: taskRef },
      },
      handler: async (req, reply) => {
        const b = req.body;
        let resources = resourcesFromRequest({ cpus: b.cpus, mem: b.mem, disk: b.disk, gpus: b.gpus });
        if (b.resources !== undefined) {
          const extra = parseResources(b.resources);
          if (!extra.ok) throw new ApiError(ERRORS.VALIDATION, extra.error.message, { fields: [{ field: 'body.resources', message: extra.error.message }] });
          resources = addResources(resources, extra.value);
        }
        const constraints = parseConstraints(b.constraints, 'constraints');
        if (!constraints.ok) throw new ApiError(ERRORS.VALIDATION, constraints.error.message, { fields: [{ field: `body.${constraints.error.field}`, message: constraints.error.message }] });
        const agents = [...deps.master().agents.values()].filter((a) => a.state === AgentState.ACTIVE);
        if (agents.length > 0 && !agents.some((a) => containsResources(a.resources, resources))) {
          const biggest = agents[0];
          const detail = `no agent has ${formatResources(resources)} in total (e.g. ${biggest.hostname}: ${describeShortfall(resources, biggest.resources)})`;
          throw new ApiError(ERRORS.RESOURCES_UNSATISFIABLE, detail, { fields: [{ field: 'body', message: detail }] });
        }
        const check = b.healthCheck;
        if (check && check.type !== 'COMMAND') {
          const index = check.portIndex ?? 0;
          const ports = (resources.ranges.ports ?? []).reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
          if (index >= ports) throw new ApiError(ERRORS.VALIDATION, `healthCheck.portIndex ${index} needs at least ${index + 1} ports in resources (e.g. ports:[31000-31000])`, { fields: [{ field: 'body.healthCheck.portIndex', message: 'no such port in the task resources' }] });
        }
        if (check?.type === 'COMMAND' && check.command === undefined) throw new ApiError(ERRORS.VALIDATION, 'a COMMAND health check needs a command', { fields: [{ field: 'body.healthCheck.command', message: 'required for COMMAND' }] });
        const uris = b.uris?.map((u) => (typeof u === 'string' ? { value: u } : u));
        const { framework } = deps.execute();
        const request = { name: b.name ?? (typeof b.command === 'string' ? b.command.split(/\s+/)[0] : b.command[0]) ?? 'task', command: b.command, resources, env: b.env, constraints: constraints.value, killGracePeriodMs: b.killGracePeriodMs, uris, healthCheck: check };
        const task = await framework.submitDurably(request);
        reply.code(202).header('location', `/v1/tasks/${task.id}`);
        return { id: task.id, state: 'PENDING', url: `/v1/tasks/${task.id}` };
      },
    });

    app.get<{ Querystring: { state?: string; framework?: string; agent?: string; limit: number; offset: number } }>('/v1/tasks', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'listTasks',
        tags: ['tasks'],
        summary: 'Tasks, newest first, filtered by state, framework or agent',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            state: { type: 'string', enum: TASK_STATE_ENUM },
            framework: { type: 'string', maxLength: 200 },
            agent: { type: 'string', maxLength: 200 },
            limit: { type: 'integer', minimum: 1, maximum: 10000, default: 100 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
        response: { 200: { type: 'object', required: ['total', 'tasks'], properties: { total: { type: 'integer' }, tasks: { type: 'array', items: taskSchema } } } },
      },
      handler: async (req) => {
        const { state, framework, agent, limit, offset } = req.query;
        const { framework: exec, frameworkId } = deps.execute();
        const pending = state === undefined || state === 'PENDING' ? exec.listPending().filter(() => (!framework || framework === frameworkId) && !agent) : [];
        if (state === 'PENDING') return { total: pending.length, tasks: pending.slice(offset, offset + limit).map((p) => pendingView(p, frameworkId)) };
        const listed = listTasks(deps.master(), { state, frameworkId: framework, agentId: agent }, limit + offset + pending.length, 0);
        const all = [...pending.map((p) => pendingView(p, frameworkId)), ...listed.tasks];
        return { total: listed.total + pending.length, tasks: all.slice(offset, offset + limit) };
      },
    });

    app.get<{ Params: { id: string } }>('/v1/tasks/:id', {
      config: { access: 'viewer' },
      schema: { operationId: 'getTask', tags: ['tasks'], summary: 'One task: state, reason, exit code, agent, times', params: idParams, response: { 200: taskSchema } },
      handler: async (req) => {
        const master = deps.master();
        const rec = master.tasks.get(req.params.id);
        if (rec) return taskView(master, rec);
        const { framework, frameworkId } = deps.execute();
        const pending = framework.getPending(req.params.id);
        if (pending) return pendingView(pending, frameworkId);
        throw new ApiError(ERRORS.TASK_NOT_FOUND, `task ${req.params.id} is not known`, { fields: [{ field: 'params.id', message: 'no such task' }] });
      },
    });

    app.delete<{ Params: { id: string }; Querystring: { gracePeriodMs?: number } }>('/v1/tasks/:id', {
      config: { access: 'operator' },
      schema: {
        operationId: 'killTask',
        tags: ['tasks'],
        summary: 'Kill a task: SIGTERM to its process group, SIGKILL after the grace period',
        params: idParams,
        querystring: { type: 'object', additionalProperties: false, properties: { gracePeriodMs: { type: 'integer', minimum: 0, maximum: 3600000 } } },
        response: { 202: taskRef },
      },
      handler: async (req, reply) => {
        const master = deps.master();
        const rec = master.tasks.get(req.params.id);
        reply.code(202);
        if (rec) {
          if (isTerminal(rec.state)) throw new ApiError(ERRORS.CONFLICT, `task ${rec.info.taskId} already ended (${rec.state})`);
          master.killTask(rec, req.query.gracePeriodMs);
          return { id: rec.info.taskId, state: rec.state, url: `/v1/tasks/${rec.info.taskId}` };
        }
        if (deps.execute().framework.cancel(req.params.id)) return { id: req.params.id, state: 'KILLED', url: `/v1/tasks/${req.params.id}` };
        throw new ApiError(ERRORS.TASK_NOT_FOUND, `task ${req.params.id} is not known`, { fields: [{ field: 'params.id', message: 'no such task' }] });
      },
    });

    app.get<{ Params: { id: string } }>('/v1/tasks/:id/stats', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'getTaskStats',
        tags: ['tasks'],
        summary: "A task's resource usage, sampled by its agent: CPU time, memory, limits, and under cgroups the OOM and throttling counters (the last sample once it ended)",
        params: idParams,
        response: { 200: taskStatsSchema },
      },
      handler: async (req) => {
        const r = await deps.master().readTaskStats(req.params.id);
        if (!r.ok) throw fromCallError({ ...r.error, field: r.error.code === 'TASK_NOT_FOUND' ? 'id' : r.error.field }, 'params');
        return r.value;
      },
    });

    app.get<{ Params: { id: string; file: 'stdout' | 'stderr' }; Querystring: { offset: number; length: number } }>('/v1/tasks/:id/files/:file', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'readTaskFile',
        tags: ['tasks'],
        summary: "Read part of a task's stdout or stderr from its sandbox (also after it finished)",
        params: {
          type: 'object',
          required: ['id', 'file'],
          additionalProperties: false,
          properties: { id: idParams.properties.id, file: { type: 'string', enum: ['stdout', 'stderr'] } },
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            offset: { type: 'integer', minimum: 0, default: 0 },
            length: { type: 'integer', minimum: 0, maximum: 1048576, default: 65536 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['data', 'offset', 'size'],
            properties: { data: { type: 'string' }, offset: { type: 'integer' }, size: { type: 'integer', description: 'Size of the whole file in bytes' } },
          },
        },
      },
      handler: async (req) => {
        const r = await deps.master().readTaskFile(req.params.id, req.params.file, req.query.offset, req.query.length);
        if (!r.ok) throw fromCallError(r.error, r.error.field === 'id' ? 'params' : 'query');
        return r.value;
      },
    });
  };
}
