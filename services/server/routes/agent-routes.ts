/**
 * Agents on the master's HTTP surface:
 * - the agent protocol (`/api/v1/agent/register|heartbeat|updates`, see core/transport/agent-wire.ts): what
 *   remote agents call, authenticated with the cluster secret (`x-orrery-cluster-secret`), never with API
 *   tokens; with no secret configured every call is refused (401), so remote agents cannot join;
 * - operator actions on agents: `POST /v1/agents/{id}/drain`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Master } from '../../../core/master/master.ts';
import { agentView } from '../../../core/master/master-views.ts';
import { checkRegistration } from '../../../core/master/agent-registration.ts';
import { AgentState } from '../../../core/master/records.ts';
import { AgentPaths, CLUSTER_SECRET_HEADER, MAX_BATCH, secretMatches, type HeartbeatRequest, type RegisterRequest, type UpdatesRequest } from '../../../core/transport/agent-wire.ts';
import { HttpAgentLink } from '../../../core/transport/http-agent-link.ts';
import { ApiError, defineErrors, ERRORS, fromCallError } from '../errors.ts';
import type { RouteModule } from '../http-server.ts';
import { problemResponse } from '../problem.ts';
import { agentSchema, idParams, TASK_STATE_ENUM } from './core-schemas.ts';

export const AGENT_ERRORS = defineErrors('agents', {
  NOT_REGISTERED: { code: 'ORR_ERR_AGENT_NOT_REGISTERED', status: 409, title: 'Agent not registered with this master; register again', retryable: false },
  GONE: { code: 'ORR_ERR_AGENT_GONE', status: 409, title: 'Agent marked gone; it may not register again', retryable: false },
  SESSION_STALE: { code: 'ORR_ERR_AGENT_SESSION_STALE', status: 409, title: 'Message from a session the agent no longer holds', retryable: false },
  EPOCH_STALE: { code: 'ORR_ERR_AGENT_EPOCH_STALE', status: 409, title: 'Message from a master of an older leadership epoch than one the agent has seen (a deposed leader)', retryable: false },
});

/** What the master side of the agent protocol needs; undefined when no cluster secret is configured. */
export interface AgentProtocol {
  clusterSecret: string;
  /** A link to the agent at `url` for one registration session. */
  newLink(url: string, sessionId: string): HttpAgentLink;
}

export interface AgentRouteDeps {
  master(): Master;
  agentProtocol(): AgentProtocol | undefined;
}

/**
 * An onRequest hook refusing requests without the cluster secret (401, logged at warn with the peer's address).
 * `secret()` undefined refuses everything: the node was not given a secret.
 */
export function clusterSecretGuard(secret: () => string | undefined) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const expected = secret();
    const presented = request.headers[CLUSTER_SECRET_HEADER];
    if (expected !== undefined && secretMatches(presented, expected)) return;
    const why = expected === undefined ? 'no cluster secret is configured here' : presented === undefined ? 'no cluster secret presented' : 'wrong cluster secret';
    request.log.warn({ remoteAddress: request.ip, url: request.url, why }, 'agent protocol request refused');
    throw new ApiError(ERRORS.UNAUTHORIZED, `${why}: send the cluster secret in the ${CLUSTER_SECRET_HEADER} header (set ORRERY_CLUSTER_SECRET or --cluster-secret-file on both sides)`);
  };
}

const id = { type: 'string', minLength: 1, maxLength: 200 } as const;
const sessionId = { type: 'string', minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9-]+$' } as const;
const objectish = { type: 'object' } as const;

const registerBody = {
  type: 'object',
  required: ['sessionId', 'url', 'registration'],
  additionalProperties: false,
  properties: {
    sessionId,
    url: { type: 'string', maxLength: 2048, pattern: '^https?://[^/?#]+/?$', description: "The agent's base URL, where the master sends launches, kills and acknowledgements" },
    registration: {
      type: 'object',
      required: ['hostname', 'resources', 'attributes', 'isolators', 'version', 'tasks'],
      additionalProperties: false,
      properties: {
        agentId: { ...id, description: 'Set when re-registering with the id the agent recovered from its checkpoint' },
        hostname: { type: 'string', minLength: 1, maxLength: 255 },
        resources: objectish,
        attributes: { type: 'object', additionalProperties: { type: 'string', maxLength: 256 } },
        isolators: { type: 'array', maxItems: 64, items: { type: 'string', maxLength: 64 } },
        version: { type: 'string', maxLength: 64 },
        tasks: {
          type: 'array',
          maxItems: 200000,
          description: 'Tasks the agent still runs or has unacknowledged updates for',
          items: { type: 'object', required: ['frameworkId', 'task', 'state'], additionalProperties: false, properties: { frameworkId: id, task: objectish, state: { type: 'string', enum: TASK_STATE_ENUM } } },
        },
      },
    },
  },
} as const;

const taskStatus = {
  type: 'object',
  required: ['taskId', 'frameworkId', 'agentId', 'state', 'source', 'timestamp', 'uuid'],
  additionalProperties: false,
  properties: {
    taskId: id,
    frameworkId: { type: 'string', maxLength: 200 },
    agentId: { type: 'string', maxLength: 200 },
    state: { type: 'string', enum: TASK_STATE_ENUM.filter((s) => s !== 'PENDING') },
    source: { type: 'string', enum: ['SOURCE_AGENT', 'SOURCE_EXECUTOR'] },
    timestamp: { type: 'number' },
    uuid: { type: 'string', minLength: 1, maxLength: 64 },
    reason: { type: 'string', pattern: '^REASON_[A-Z_]+$', maxLength: 64 },
    message: { type: 'string', maxLength: 4096 },
    exitCode: { type: 'integer' },
    signal: { type: 'string', maxLength: 32 },
    healthy: { type: 'boolean' },
    healthFailures: { type: 'integer', minimum: 0 },
    executorPid: { type: 'integer', minimum: 1 },
  },
} as const;

/** Documents the header; the guard (onRequest, before validation) refuses a missing or wrong one with 401. */
const secretHeaders = {
  type: 'object',
  required: [CLUSTER_SECRET_HEADER],
  properties: { [CLUSTER_SECRET_HEADER]: { type: 'string', description: 'The cluster secret (ORRERY_CLUSTER_SECRET / --cluster-secret-file of the master)' } },
} as const;

const UNAUTHORIZED = problemResponse('ORR_ERR_UNAUTHORIZED: no or wrong cluster secret (logged)');
const NOT_REGISTERED = problemResponse('ORR_ERR_AGENT_NOT_REGISTERED: this session is not the registration the master holds; register again');

const sessionBody = { type: 'object', required: ['agentId', 'sessionId'], additionalProperties: false, properties: { agentId: id, sessionId } } as const;

/** The agent's current registration is this session (its link), and the master counts it as connected. */
function sessionHolds(master: Master, agentId: string, session: string): boolean {
  const agent = master.agents.get(agentId);
  const link = agent?.link;
  return link instanceof HttpAgentLink && link.sessionId === session && (agent?.state === AgentState.ACTIVE || agent?.state === AgentState.DRAINING);
}

function notRegistered(agentId: string): ApiError {
  return new ApiError(AGENT_ERRORS.NOT_REGISTERED, `agent ${agentId} has no registration with this session on this master; register again`, { fields: [{ field: 'body.sessionId', message: 'not the current registration' }] });
}

export function agentRoutes(deps: AgentRouteDeps): RouteModule {
  return (app: FastifyInstance) => {
    const guard = clusterSecretGuard(() => deps.agentProtocol()?.clusterSecret);

    app.post<{ Body: RegisterRequest }>(AgentPaths.register, {
      // Authenticated by the cluster secret (clusterSecretGuard), not by API tokens.
      config: { access: 'public' },
      onRequest: guard,
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        operationId: 'registerAgent',
        tags: ['agent-protocol'],
        headers: secretHeaders,
        summary: 'An agent (re-)registers: its resources, attributes and the tasks it still runs',
        description: `Agent protocol (authenticated with the cluster secret in \`${CLUSTER_SECRET_HEADER}\`). The master first checks that it reaches the agent at \`url\` (400 naming \`body.url\` if not), then reconciles the reported tasks (unknown ones of unknown frameworks are killed, missing ones become LOST) and from now on sends launches, kills and acknowledgements to \`url\` for this \`sessionId\`.`,
        body: registerBody,
        response: {
          200: {
            type: 'object',
            required: ['agentId', 'sessionId', 'masterId', 'heartbeatIntervalMs'],
            properties: { agentId: { type: 'string' }, sessionId: { type: 'string' }, masterId: { type: 'string' }, heartbeatIntervalMs: { type: 'integer' } },
          },
          401: UNAUTHORIZED,
          409: problemResponse('ORR_ERR_AGENT_GONE: the agent was marked gone'),
        },
      },
      handler: async (req) => {
        const protocol = deps.agentProtocol();
        const master = deps.master();
        if (!protocol) throw new ApiError(ERRORS.UNAUTHORIZED, 'no cluster secret is configured');
        const { sessionId: session, url, registration } = req.body;
        // What the agent sent is checked before the master spends a request on reaching it.
        const checked = checkRegistration(registration);
        if (!checked.ok) throw fromCallError(checked.error, 'body.registration');
        const link = protocol.newLink(url, session);
        const reachable = await link.probe();
        if (!reachable.ok) {
          link.close('agent unreachable');
          const message = `the master cannot reach this agent at ${url}: ${reachable.error}; set the agent's --advertise-host (and --host, --port) to an address the master can connect to`;
          req.log.warn({ hostname: registration.hostname, url, why: reachable.error }, 'agent registration refused: agent unreachable');
          throw new ApiError(ERRORS.VALIDATION, message, { fields: [{ field: 'body.url', message }] });
        }
        const r = await master.registerAgent(registration, link);
        if (!r.ok) {
          link.close('registration refused');
          req.log.warn({ hostname: registration.hostname, agentId: registration.agentId, code: r.error.code, reason: r.error.message }, 'agent registration refused');
          if (r.error.code === 'AGENT_GONE') throw new ApiError(AGENT_ERRORS.GONE, r.error.message, { fields: [{ field: 'body.registration.agentId', message: r.error.message }] });
          throw fromCallError(r.error, 'body.registration');
        }
        return { agentId: r.value.agentId, sessionId: session, masterId: master.id, heartbeatIntervalMs: master.agentHeartbeatIntervalMs };
      },
    });

    app.post<{ Body: HeartbeatRequest }>(AgentPaths.heartbeat, {
      // Authenticated by the cluster secret (clusterSecretGuard), not by API tokens.
      config: { access: 'public' },
      onRequest: guard,
      schema: {
        operationId: 'agentHeartbeat',
        tags: ['agent-protocol'],
        headers: secretHeaders,
        summary: 'An agent is alive; 409 ORR_ERR_AGENT_NOT_REGISTERED tells it to register again',
        body: sessionBody,
        response: { 200: { type: 'object', required: ['heartbeatIntervalMs'], properties: { heartbeatIntervalMs: { type: 'integer' } } }, 401: UNAUTHORIZED, 409: NOT_REGISTERED },
      },
      handler: async (req) => {
        const master = deps.master();
        const { agentId, sessionId: session } = req.body;
        if (!sessionHolds(master, agentId, session)) throw notRegistered(agentId);
        const r = await master.heartbeat(agentId);
        if (!r.ok) throw notRegistered(agentId);
        return { heartbeatIntervalMs: master.agentHeartbeatIntervalMs };
      },
    });

    app.post<{ Body: UpdatesRequest }>(AgentPaths.updates, {
      // Authenticated by the cluster secret (clusterSecretGuard), not by API tokens.
      config: { access: 'public' },
      onRequest: guard,
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        operationId: 'agentStatusUpdates',
        tags: ['agent-protocol'],
        headers: secretHeaders,
        summary: 'Status updates from an agent; each is acknowledged later, to the agent, once persisted',
        body: { type: 'object', required: ['agentId', 'sessionId', 'updates'], additionalProperties: false, properties: { agentId: id, sessionId, updates: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: taskStatus } } },
        response: { 202: { type: 'object', required: ['accepted'], properties: { accepted: { type: 'integer' } } }, 401: UNAUTHORIZED, 409: NOT_REGISTERED },
      },
      handler: async (req, reply) => {
        const master = deps.master();
        const { agentId, sessionId: session, updates } = req.body;
        if (!sessionHolds(master, agentId, session)) throw notRegistered(agentId);
        await master.heartbeat(agentId);
        for (const u of updates) master.statusUpdate(agentId, u);
        reply.code(202);
        return { accepted: updates.length };
      },
    });

    app.post<{ Params: { id: string } }>('/v1/agents/:id/drain', {
      config: { access: 'admin' },
      schema: {
        operationId: 'drainAgent',
        tags: ['cluster'],
        summary: 'Drain an agent: no new offers on it; its tasks keep running (state DRAINING)',
        params: idParams,
        response: { 200: agentSchema },
      },
      handler: async (req) => {
        const master = deps.master();
        const r = await master.drainAgent(req.params.id);
        if (!r.ok) {
          if (r.error.code === 'AGENT_NOT_FOUND') throw new ApiError(ERRORS.AGENT_NOT_FOUND, r.error.message, { fields: [{ field: 'params.id', message: 'no such agent' }] });
          throw new ApiError(ERRORS.CONFLICT, r.error.message);
        }
        return agentView(master, r.value);
      },
    });
  };
}
