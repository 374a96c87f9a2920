/**
 * What an agent process (`orrery agent`) serves to its master: the master → agent half of the agent protocol
 * (core/transport/agent-wire.ts). Not part of the master's API document: a separate server, in the agent process.
 *
 *   POST /api/v1/agent/messages    {sessionId, seq, messages[]}  → launch | kill | acknowledge, in order
 *   POST /api/v1/agent/files/read  {taskId, path, offset, length} → a chunk of a sandbox file
 *   POST /api/v1/agent/tasks/stats {taskId}                      → the task's resource usage
 *   POST /api/v1/agent/ping        {sessionId}                     → 200 if that is this agent's session
 *
 * Every request carries the cluster secret (401 otherwise, logged). Messages are taken only from the session of
 * the agent's current registration (409 otherwise) and a batch number already applied is not applied again.
 * Messages and pings carrying a leadership epoch older than the highest seen are refused (409 EPOCH_STALE).
 */
import type { FastifyInstance } from 'fastify';
import type { AgentLink } from '../../../core/agent/protocol.ts';
import { AgentPaths, MAX_BATCH, type MessagesRequest, type PingRequest, type ReadFileRequest, type TaskStatsRequest } from '../../../core/transport/agent-wire.ts';
import { ApiError, fromCallError } from '../errors.ts';
import type { RouteModule } from '../http-server.ts';
import { AGENT_ERRORS, clusterSecretGuard } from './agent-routes.ts';

export interface AgentHostDeps {
  agent(): AgentLink;
  clusterSecret(): string;
  /** The session of the agent's current (or in-progress) registration. */
  sessionId(): string | undefined;
}

const id = { type: 'string', minLength: 1, maxLength: 200 } as const;

const taskInfo = {
  type: 'object',
  required: ['taskId', 'name', 'agentId', 'resources', 'command'],
  properties: {
    taskId: id,
    name: { type: 'string', maxLength: 1024 },
    agentId: { type: 'string', maxLength: 200 },
    resources: { type: 'object', required: ['scalars', 'ranges', 'sets'], properties: { scalars: { type: 'object' }, ranges: { type: 'object' }, sets: { type: 'object' } } },
    command: { type: 'object', required: ['shell'], properties: { shell: { type: 'boolean' }, value: { type: 'string' }, arguments: { type: 'array', items: { type: 'string' } }, env: { type: 'object', additionalProperties: { type: 'string' } }, uris: { type: 'array' } } },
    killGracePeriodMs: { type: 'integer', minimum: 0 },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;

const message = {
  oneOf: [
    { type: 'object', required: ['type', 'frameworkId', 'task'], additionalProperties: false, properties: { type: { const: 'LAUNCH' }, frameworkId: id, task: taskInfo } },
    { type: 'object', required: ['type', 'frameworkId', 'taskId'], additionalProperties: false, properties: { type: { const: 'KILL' }, frameworkId: { type: 'string', maxLength: 200 }, taskId: id, gracePeriodMs: { type: 'integer', minimum: 0, maximum: 3600000 } } },
    { type: 'object', required: ['type', 'taskId', 'uuid'], additionalProperties: false, properties: { type: { const: 'ACKNOWLEDGE' }, taskId: id, uuid: { type: 'string', minLength: 1, maxLength: 64 } } },
  ],
} as const;

export function agentHostRoutes(deps: AgentHostDeps): RouteModule {
  return (app: FastifyInstance) => {
    const guard = clusterSecretGuard(() => deps.clusterSecret());
    let applied = { session: '', seq: 0 };
    let seenEpoch = 0;
    /** Fencing: a master of an older term than one already heard from was deposed; it may not command this agent. */
    const checkEpoch = (epoch: number | undefined): void => {
      if (epoch === undefined) return;
      if (epoch < seenEpoch) {
        throw new ApiError(AGENT_ERRORS.EPOCH_STALE, `epoch ${epoch} is older than ${seenEpoch}, the newest leader this agent has heard from`, { fields: [{ field: 'body.epoch', message: 'a deposed leader' }] });
      }
      seenEpoch = epoch;
    };

    app.post<{ Body: MessagesRequest }>(AgentPaths.messages, {
      // Authenticated by the cluster secret (clusterSecretGuard), not by API tokens.
      config: { access: 'public' },
      onRequest: guard,
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        operationId: 'agentMessages',
        tags: ['agent-host'],
        summary: 'Launches, kills and acknowledgements from the master, applied in order',
        body: { type: 'object', required: ['sessionId', 'seq', 'messages'], additionalProperties: false, properties: { sessionId: { type: 'string', maxLength: 128 }, seq: { type: 'integer', minimum: 1 }, messages: { type: 'array', maxItems: MAX_BATCH, items: message }, epoch: { type: 'integer', minimum: 1 } } },
        response: { 202: { type: 'object', required: ['applied'], properties: { applied: { type: 'integer' } } } },
      },
      handler: async (req, reply) => {
        const { sessionId, seq, messages } = req.body;
        checkEpoch(req.body.epoch);
        const current = deps.sessionId();
        if (current === undefined || sessionId !== current) {
          throw new ApiError(AGENT_ERRORS.SESSION_STALE, 'this agent registered again since; messages of the older session are refused', { fields: [{ field: 'body.sessionId', message: 'not the current session' }] });
        }
        if (applied.session !== sessionId) applied = { session: sessionId, seq: 0 };
        reply.code(202);
        // A re-sent batch whose first delivery was applied (its answer got lost): do not launch twice.
        if (seq <= applied.seq) return { applied: 0 };
        applied.seq = seq;
        const agent = deps.agent();
        for (const m of messages) {
          if (m.type === 'LAUNCH') agent.launch(m.frameworkId, m.task);
          else if (m.type === 'KILL') agent.kill(m.frameworkId, m.taskId, m.gracePeriodMs);
          else agent.acknowledge(m.taskId, m.uuid);
        }
        return { applied: messages.length };
      },
    });

    app.post<{ Body: PingRequest }>(AgentPaths.ping, {
      // Authenticated by the cluster secret (clusterSecretGuard), not by API tokens.
      config: { access: 'public' },
      onRequest: guard,
      schema: {
        operationId: 'agentPing',
        tags: ['agent-host'],
        summary: 'The master checks, while the agent registers, that it reaches this agent at its advertised URL',
        body: { type: 'object', required: ['sessionId'], additionalProperties: false, properties: { sessionId: { type: 'string', maxLength: 128 }, epoch: { type: 'integer', minimum: 1 } } },
        response: { 200: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } } },
      },
      handler: async (req) => {
        checkEpoch(req.body.epoch);
        if (req.body.sessionId !== deps.sessionId()) throw new ApiError(AGENT_ERRORS.SESSION_STALE, 'not the session this agent is registering with', { fields: [{ field: 'body.sessionId', message: 'not the current session' }] });
        return { ok: true };
      },
    });

    app.post<{ Body: ReadFileRequest }>(AgentPaths.readFile, {
      // Authenticated by the cluster secret (clusterSecretGuard), not by API tokens.
      config: { access: 'public' },
      onRequest: guard,
      schema: {
        operationId: 'agentReadFile',
        tags: ['agent-host'],
        summary: "Part of a file in a task's sandbox",
        body: {
          type: 'object',
          required: ['taskId', 'path', 'offset', 'length'],
          additionalProperties: false,
          properties: { taskId: id, path: { type: 'string', minLength: 1, maxLength: 4096 }, offset: { type: 'integer', minimum: 0 }, length: { type: 'integer', minimum: 0, maximum: 8388608 } },
        },
        response: { 200: { type: 'object', required: ['data', 'offset', 'size'], properties: { data: { type: 'string' }, offset: { type: 'integer' }, size: { type: 'integer' } } } },
      },
      handler: async (req) => {
        const { taskId, path, offset, length } = req.body;
        const r = await deps.agent().readFile(taskId, path, offset, length);
        if (!r.ok) throw fromCallError(r.error);
        return r.value;
      },
    });

    app.post<{ Body: TaskStatsRequest }>(AgentPaths.taskStats, {
      // Authenticated by the cluster secret (clusterSecretGuard), not by API tokens.
      config: { access: 'public' },
      onRequest: guard,
      schema: {
        operationId: 'agentTaskStats',
        tags: ['agent-host'],
        summary: "A task's resource usage (cpu time, memory, limits, OOM/throttle counters)",
        body: { type: 'object', required: ['taskId'], additionalProperties: false, properties: { taskId: id } },
      },
      handler: async (req) => {
        const r = await deps.agent().taskStats(req.body.taskId);
        if (!r.ok) throw fromCallError(r.error);
        return r.value;
      },
    });
  };
}
