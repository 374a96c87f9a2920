/**
 * The composition root of `orrery up` and `orrery master`: one process with Redis (found or started), the HTTP API
 * (serving at once), the leadership lifecycle — while this replica leads, the master, the built-in execute
 * framework, jobs and apps run (leader-services.ts); while it follows, requests are forwarded to the leader
 * (leader-forwarding.ts) — and agents for this host (`orrery up`: one, or `agents` of them sharing its resources;
 * `orrery master`: none unless `--with-agent`), which stay up across terms. The API also serves the agent
 * protocol to remote agents when a cluster secret is configured. The only place that wires implementations together.
 *
 *   connectOrStartRedis ─► RedisRegistryStore ◄─ epoch ─ Leadership (RedisLeaderContender: campaign, lost, again)
 *                                 │                         │ each term
 *                                 │                   LeaderServices: Master ◄── ExecuteFramework, jobs, apps
 *                                 │                         ▲
 *                                 │          Agent ×N ─► LocalMasterSwitch (this host; re-register every term)
 *                             HTTP API (fastify) ─► leader? /v1/…, /metrics, /docs : forward to the leader
 */
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from '../../core/clock/clock.ts';
import type { Logger } from '../../core/logging/logger.ts';
import { connectOrStartRedis, type RedisEndpoint } from '../../core/coordination/embedded-redis.ts';
import { redactUrl, redisConnector, RedisUrlError, type RedisConnect } from '../../core/coordination/redis-client.ts';
import { RedisRegistryStore } from '../../core/coordination/registry-store.ts';
import { RedisLeaderContender } from '../../core/coordination/leader-contender.ts';
import { RedisEventStream } from '../../core/coordination/event-stream.ts';
import type { Master } from '../../core/master/master.ts';
import type { TaskRecord } from '../../core/master/records.ts';
import type { TaskStatus } from '../../core/sdk/protocol.ts';
import { Agent } from '../../core/agent/agent.ts';
import { detectHostResources } from '../../core/agent/host-resources.ts';
import { parseIsolation } from '../../core/agent/isolation/isolation-options.ts';
import { parseAttributes, parseResources } from '../../core/resources/resources.ts';
import { splitResources } from '../../core/resources/split-resources.ts';
import { buildHttpServer } from './http-server.ts';
import { MetricsRegistry } from './metrics.ts';
import { masterObserver, registerMasterMetrics } from './metrics/master-metrics.ts';
import { registerAgentMetrics } from './metrics/agent-metrics.ts';
import { jobsObserver, registerJobsMetrics } from './metrics/jobs-metrics.ts';
import { registerAppsMetrics } from './metrics/apps-metrics.ts';
import { registerHaMetrics } from './metrics/ha-metrics.ts';
import { EventBus } from './event-bus.ts';
import { allRouteModules } from './routes.ts';
import { loadApiSecurity, type ApiSecurityOptions } from './auth/api-security.ts';
import { FrameworkAuthenticator, loadFrameworkCredentials } from './routes/scheduler-credentials.ts';
import { HttpAgentLink } from '../../core/transport/http-agent-link.ts';
import type { AgentProtocol } from './routes/agent-routes.ts';
import { Leadership } from './leadership.ts';
import { startLeaderServices, type LeaderServices } from './leader-services.ts';
import { LocalMasterSwitch } from './local-master-switch.ts';
import { leaderForwarding } from './leader-forwarding.ts';
import { serverDeps } from './leader-deps.ts';
import { ShutdownStack } from './shutdown-stack.ts';

export interface OrreryConfig {
  host: string;
  port: number;
  workDir: string;
  redisUrl?: string;
  keyPrefix: string;
  /** On a clean stop, leave the local agent's tasks running (they are re-attached at the next start). */
  keepTasks: boolean;
  /** Mesos resource text overriding what the host has, e.g. `cpus:4;mem:8192`. */
  resources?: string;
  attributes?: string;
  /** The agent's isolation: `auto` (default) | `cgroups` | `posix`, optionally `,pid`. */
  isolation?: string;
  /** How long and how much the agent keeps finished sandboxes (default 1 week, 10 GiB). */
  sandboxGc?: { maxAgeMs?: number; maxBytes?: number };
  /**
   * Agents in this process (default 1), for trying constraints and failover on one machine. They split the
   * resources between them; agent i (from 1) works in `<workDir>/agent-i` (the first in `<workDir>/agent`) and
   * is called `<hostname>-i`, so `hostname UNIQUE` constraints spread over them.
   */
  agents?: number;
  leaseTtlMs: number;
  offerTimeoutMs: number;
  version: string;
  /** API tokens and TLS (services/server/auth); without tokens only a loopback host is accepted. */
  security?: ApiSecurityOptions;
  /** Where framework credentials come from (see routes/scheduler-credentials.ts); none: frameworks subscribe open. */
  frameworkCredentials?: { file?: string; env?: string };
  /** HEARTBEAT interval of `/api/v1/scheduler` streams; default 15 s. */
  schedulerHeartbeatMs?: number;
  /** Run an agent for this host in the process (default true: `orrery up`; `orrery master` without `--with-agent`: false). */
  localAgent?: boolean;
  /** Remote agents must present it; without it the agent protocol refuses every call. */
  clusterSecret?: string;
  /** Master's agent liveness settings (see MasterOptions). */
  agentHeartbeatIntervalMs?: number;
  agentTimeoutMs?: number;
  agentLostTimeoutMs?: number;
  agentReregisterTimeoutMs?: number;
}

export interface RunningOrrery {
  url: string;
  /** The master of the current term; throws while this replica does not lead. */
  readonly master: Master;
  leadership: Leadership<LeaderServices>;
  /** The first in-process agent (`agents[0]`), when there is one. */
  agent?: Agent;
  agents: Agent[];
  http: FastifyInstance;
  events: EventBus;
  /** The Redis this process uses (password redacted) and its key prefix: one cluster per Redis and prefix. */
  redis: { url: string; private: boolean; prefix: string };
  stop(): Promise<void>;
}

/** How long a clean stop waits for the frameworks to acknowledge the agents' last status updates. */
const SETTLE_TIMEOUT_MS = 2000;

export class ConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export async function startOrrery(cfg: OrreryConfig, logger: Logger, clock: Clock = systemClock): Promise<RunningOrrery> {
  const credentials = parsed(loadFrameworkCredentials(cfg.frameworkCredentials ?? {}), 'framework-credentials-file');
  const frameworkAuth = credentials ? new FrameworkAuthenticator(credentials) : undefined;
  const security = await loadApiSecurity(cfg.host, cfg.security ?? {}, frameworkAuth !== undefined, logger);
  if (!security.ok) throw new ConfigError(security.error.key, security.error.message);
  const { tokens, tls, scheme } = security.value;
  const workDir = path.resolve(cfg.workDir);
  await mkdir(workDir, { recursive: true });
  const agentCount = cfg.agents ?? 1;
  if (!Number.isSafeInteger(agentCount) || agentCount < 1) throw new ConfigError('agents', `--agents must be a positive integer, got ${agentCount}`);
  const hostResources = cfg.resources === undefined ? detectHostResources(workDir) : parsed(parseResources(cfg.resources), 'resources');
  const agentResources = splitResources(hostResources, agentCount);
  const attributes = cfg.attributes === undefined ? {} : parsed(parseAttributes(cfg.attributes), 'attributes');
  if (cfg.isolation !== undefined) parsed(parseIsolation(cfg.isolation), 'isolation');

  // What was started, stopped in reverse by `stack.unwind()` (the agents apart: see `shutdown`).
  const stack = new ShutdownStack(logger);
  const agents: Agent[] = [];
  /** The running term, once leadership exists. */
  let currentTerm = (): LeaderServices | undefined => undefined;
  /**
   * A clean stop, in this order:
   *  1. the term quiesces: no more offers, so no task is launched on agents about to stop (the apps would
   *     otherwise replace each instance the agents kill, right away, on those same agents);
   *  2. the agents stop (killing their tasks unless --keep-tasks); their last status updates reach the term's master;
   *  3. the term settles: its frameworks (execute, jobs, apps) handle those updates and acknowledge them, while their
   *     Redis connections are still open (bounded by SETTLE_TIMEOUT_MS; anything left is persisted by the master and
   *     delivered again when the frameworks subscribe to the next term);
   *  4. the rest in reverse order of start: the API, the term (apps, jobs, execute framework, master; resign the
   *     lease), the event stream, the registry's Redis connection, a private Redis.
   */
  const shutdown = async (): Promise<void> => {
    const term = currentTerm();
    term?.quiesce();
    await Promise.all(agents.map((agent) => stack.run('agent stop', () => agent.stop({ killTasks: !cfg.keepTasks }))));
    if (term) {
      const left = await term.settle(SETTLE_TIMEOUT_MS);
      if (left > 0) logger.info({ updates: left, waitedMs: SETTLE_TIMEOUT_MS }, 'stopping with status updates not yet acknowledged by their frameworks; they are delivered again at the next start');
    }
    await stack.unwind();
  };
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const started = performance.now();
      await shutdown();
      logger.info({ durationMs: Math.round(performance.now() - started) }, 'orrery stopped');
    })());
  try {
    const endpoint: RedisEndpoint = await redisConfig(() => connectOrStartRedis({ url: cfg.redisUrl, workDir, logger, privateFallback: cfg.redisUrl === undefined }));
    stack.push('redis server', () => endpoint.stop());
    // Every Redis connection of the process (registry, events, lease, jobs, BullMQ, apps) comes from it.
    const connect: RedisConnect = await redisConfig(async () => redisConnector(endpoint.url, logger));
    const redis = connect('orrery-registry');
    stack.push('registry connection', async () => {
      await redis.quit();
    });
    const store = new RedisRegistryStore(redis, cfg.keyPrefix, logger);

    const masterId = randomUUID();
    const hostPart = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;
    let url = `${scheme}://${hostPart}:${cfg.port}`;
    const contender = new RedisLeaderContender(redis, cfg.keyPrefix, { id: masterId, ttlMs: cfg.leaseTtlMs, address: url }, clock, logger);
    const metrics = new MetricsRegistry();
    registerHaMetrics(metrics, contender);

    const eventStream = new RedisEventStream(redis, cfg.keyPrefix, logger);
    const events = new EventBus(eventStream, logger);
    stack.push('event stream', () => events.close());
    const observer = {
      ...masterObserver(metrics),
      taskStatus: (task: TaskRecord, status: TaskStatus) =>
        events.publish('task.status', {
          taskId: task.info.taskId,
          name: task.info.name,
          frameworkId: task.frameworkId,
          agentId: task.agentId,
          state: status.state,
          reason: status.reason,
          message: status.message,
          exitCode: status.exitCode,
          healthy: status.healthy,
          timestamp: new Date(status.timestamp).toISOString(),
        }),
    };

    // This host's agents outlive leadership terms: they register with whichever term of this process leads.
    const localMaster = new LocalMasterSwitch(logger);
    const leadership = new Leadership<LeaderServices>({
      contender,
      store,
      self: { id: masterId, address: () => url },
      startTerm: (epoch) => {
        // The term's events are fenced like its registry writes: a deposed leader's are refused.
        eventStream.setEpoch(epoch);
        return startLeaderServices(
          {
            masterId,
            epoch,
            keyPrefix: cfg.keyPrefix,
            redisUrl: endpoint.url,
            redis: connect,
            offerTimeoutMs: cfg.offerTimeoutMs,
            agentHeartbeatIntervalMs: cfg.agentHeartbeatIntervalMs,
            agentTimeoutMs: cfg.agentTimeoutMs,
            agentLostTimeoutMs: cfg.agentLostTimeoutMs,
            agentReregisterTimeoutMs: cfg.agentReregisterTimeoutMs,
          },
          { store, events, observer, clock, logger, jobsObserver: jobsObserver(metrics) },
        );
      },
      onTerm: (term) => localMaster.set(term?.master),
      clock,
      logger,
    });
    stack.push('leadership', () => leadership.stop());
    currentTerm = () => leadership.term;
    registerMasterMetrics(metrics, () => leadership.term?.master);
    registerJobsMetrics(metrics, () => leadership.term?.jobs, logger);
    registerAppsMetrics(metrics, () => leadership.term?.apps);

    const clusterSecret = cfg.clusterSecret;
    const agentProtocol: AgentProtocol | undefined = clusterSecret
      ? { clusterSecret, newLink: (agentUrl, sessionId) => new HttpAgentLink({ url: agentUrl, sessionId, clusterSecret, epoch: contender.epoch, clock, logger }) }
      : undefined;
    const deps = serverDeps(leadership, { frameworkAuth, schedulerHeartbeatMs: cfg.schedulerHeartbeatMs ?? 15_000, agentProtocol, events });
    const forwarding = leaderForwarding({ leadership, selfId: masterId, logger });
    const http = await buildHttpServer({ logger, routes: [forwarding, ...allRouteModules(deps, { version: cfg.version })], metrics, info: { version: cfg.version }, tokens, tls });
    await http.listen({ host: cfg.host, port: cfg.port });
    stack.push('http', () => http.close());
    const address = http.server.address();
    if (typeof address === 'object' && address) url = `${scheme}://${hostPart}:${address.port}`;
    contender.setAddress(url);

    const waiting = clock.setTimeout(() => logger.warn({ prefix: cfg.keyPrefix }, 'not leading yet: another Orrery holds the lease on this Redis and key prefix (a replica of this cluster, or use --prefix for a separate one)'), cfg.leaseTtlMs + 500);
    stack.push('lease wait', () => waiting.cancel());
    void leadership.led().then(() => waiting.cancel());
    leadership.start();

    registerAgentMetrics(metrics, () => leadership.term?.master, () => agents);
    if (cfg.localAgent !== false) {
      // `orrery up`: the API is of little use before this process leads and its agents are registered.
      await leadership.led();
      for (const [i, resources] of agentResources.entries()) {
        const n = i + 1;
        const agent = new Agent({ workDir: path.join(workDir, n === 1 ? 'agent' : `agent-${n}`), resources, attributes, clock, logger, hostname: agentCount === 1 ? hostname() : `${hostname()}-${n}`, isolation: cfg.isolation, sandboxGc: cfg.sandboxGc });
        await agent.start(localMaster);
        localMaster.track(agent);
        agents.push(agent);
      }
    }
    const redisInUse = { url: redactUrl(endpoint.url), private: endpoint.started, prefix: cfg.keyPrefix };
    logger.info({ url, agentIds: agents.map((a) => a.agentId), remoteAgents: agentProtocol !== undefined, redis: endpoint.started ? 'private' : 'external', redisUrl: redisInUse.url, prefix: cfg.keyPrefix, workDir, leading: leadership.isLeader }, 'orrery is up');
    return {
      url,
      get master(): Master {
        const term = leadership.term;
        if (!term) throw new Error('this replica does not lead at the moment');
        return term.master;
      },
      leadership,
      agent: agents[0],
      agents,
      http,
      events,
      redis: redisInUse,
      stop,
    };
  } catch (e) {
    await shutdown();
    throw e;
  }
}

/** A bad Redis URL (or TLS CA file) is a configuration error naming `redisUrl`. */
async function redisConfig<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof RedisUrlError) throw new ConfigError(e.key, e.message);
    throw e;
  }
}

function parsed<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } | string }, key: string): T {
  if (!r.ok) throw new ConfigError(key, `--${key}: ${typeof r.error === 'string' ? r.error : r.error.message}`);
  return r.value;
}
