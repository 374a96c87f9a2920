/**
 * The master ⇄ agent protocol on the wire: JSON over HTTP, versioned under `/api/v1/agent`, each side an HTTP
 * server the other side calls (as Mesos' master and agent are libprocess endpoints of each other). It carries
 * `MasterForAgents` and `AgentLink` (core/agent/protocol.ts) and nothing more:
 *
 *   agent ──POST /api/v1/agent/register  {sessionId, url, registration}──▶ master   registerAgent
 *   agent ──POST /api/v1/agent/heartbeat {agentId, sessionId}───────────▶ master   heartbeat
 *   agent ──POST /api/v1/agent/updates   {agentId, sessionId, updates[]}─▶ master   statusUpdate ×n
 *   master ─POST <agent>/api/v1/agent/messages {sessionId, seq, messages[]}─▶ agent  launch | kill | acknowledge
 *   master ─POST <agent>/api/v1/agent/files/read {taskId, path, offset, length}─▶ agent  readFile
 *   master ─POST <agent>/api/v1/agent/tasks/stats {taskId}──────────────────────▶ agent  taskStats
 *   master ─POST <agent>/api/v1/agent/ping {sessionId}─▶ agent   (during register: can the master reach it?)
 *
 * Why request/response both ways rather than one streamed connection: each side stays a plain HTTP server
 * (load balancers, curl, TLS terminators work unchanged), a dead peer shows as a failed request rather than a
 * half-open stream, and `readFile` needs no request/response correlation of its own. What a stream would give
 * for free is kept explicitly: calls made in one turn are **batched** into one request, and each direction has
 * **one ordered channel with one request in flight**, so a KILL never overtakes the LAUNCH before it and
 * acknowledgements keep their order. Master→agent batches carry a sequence number per session: a batch the
 * agent applied but whose answer was lost is re-sent and recognised, so a LAUNCH is never applied twice.
 *
 * Sessions: the agent makes a new `sessionId` for every (re-)registration and refuses messages of any other
 * session (409), so a master that has been replaced (restart, failover) or an older link cannot command it; the
 * master refuses heartbeats and updates of a session it does not hold (409 `ORR_ERR_AGENT_NOT_REGISTERED`), which
 * tells the agent to register again, reporting the tasks it still runs.
 *
 * Fencing: master → agent requests carry the master's leadership epoch; the agent remembers the highest it has
 * seen and refuses older ones (409 `ORR_ERR_AGENT_EPOCH_STALE`), so a deposed leader (paused, partitioned) cannot
 * command agents that already follow its successor.
 *
 * Authentication: every request of both directions carries the cluster secret in `x-orrery-cluster-secret`
 * (compared in constant time); a missing or wrong one is answered 401 and logged. Secrets come from the
 * environment or a file, never from the command line.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AgentRegistration } from '../agent/protocol.ts';
import type { TaskInfo, TaskStatus } from '../sdk/protocol.ts';

export const AGENT_API_PREFIX = '/api/v1/agent';
export const AgentPaths = {
  register: `${AGENT_API_PREFIX}/register`,
  heartbeat: `${AGENT_API_PREFIX}/heartbeat`,
  updates: `${AGENT_API_PREFIX}/updates`,
  messages: `${AGENT_API_PREFIX}/messages`,
  readFile: `${AGENT_API_PREFIX}/files/read`,
  taskStats: `${AGENT_API_PREFIX}/tasks/stats`,
  ping: `${AGENT_API_PREFIX}/ping`,
} as const;

/** Header carrying the cluster secret on every agent-protocol request, both directions. */
export const CLUSTER_SECRET_HEADER = 'x-orrery-cluster-secret';

/** Most status updates (agent → master) or messages (master → agent) in one request. */
export const MAX_BATCH = 1000;

export interface RegisterRequest {
  /** Made by the agent for this registration; carried by every later call of either side. */
  sessionId: string;
  /** Where the master reaches this agent, e.g. `http://10.0.0.7:5051`. */
  url: string;
  registration: AgentRegistration;
}

export interface RegisterResponse {
  agentId: string;
  sessionId: string;
  masterId: string;
  /** How often the agent must call heartbeat; the master marks it disconnected after a few misses. */
  heartbeatIntervalMs: number;
}

export interface HeartbeatRequest {
  agentId: string;
  sessionId: string;
}

export interface UpdatesRequest {
  agentId: string;
  sessionId: string;
  updates: TaskStatus[];
}

export type AgentMessage =
  | { type: 'LAUNCH'; frameworkId: string; task: TaskInfo }
  | { type: 'KILL'; frameworkId: string; taskId: string; gracePeriodMs?: number }
  | { type: 'ACKNOWLEDGE'; taskId: string; uuid: string };

export interface MessagesRequest {
  sessionId: string;
  /** 1, 2, 3… per session; a batch with a number already applied is acknowledged and skipped. */
  seq: number;
  messages: AgentMessage[];
  /** The sending master's fencing epoch; the agent refuses an epoch older than one it has seen (a deposed leader). */
  epoch?: number;
}

export interface PingRequest {
  sessionId: string;
  /** As in MessagesRequest: the registering master's fencing epoch. */
  epoch?: number;
}

export interface TaskStatsRequest {
  taskId: string;
}

export interface ReadFileRequest {
  taskId: string;
  path: string;
  offset: number;
  length: number;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Whether `presented` is the secret, in time independent of where they differ (digests have equal length). */
export function secretMatches(presented: unknown, secret: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0 || secret.length === 0) return false;
  return timingSafeEqual(digest(presented), digest(secret));
}
