/**
 * The composition root of `orrery up` and `orrery master`: one process with Redis (found or started), the
 * leader lease, the master, agents for this host (`orrery up`: one, or `agents` of them sharing its resources;
 * `orrery master`: none unless `--with-agent`), the built-in execute framework, jobs, apps and the HTTP API — which
 * also serves the agent protocol to remote agents when a cluster secret is configured. The only place that wires
 * implementations together.
 *
 *   connectOrStartRedis ─► RedisRegistryStore ◄─ epoch ─ RedisLeaderContender.campaign()
 *                                 │
 *                              Master ◄──── Agent ×N (this host)
 *                                 │  ◄──── ExecuteFramework (SDK, in process)
 *                             HTTP API (fastify) ─► /v1/…, /metrics, /docs
 */
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from '../../core/clock/clock.ts';
import type { Logger } from '../../core/logging/logger.ts';
import { connectOrStartRedis, type RedisEndpoint } from '../../core/coordination/embedded-redis.ts';
import { redisConnector, RedisUrlError, type RedisConnect } from '../../core/coordination/redis-client.ts';
import { RedisRegistryStore } from '../../core/coordination/registry-store.ts';
import { RedisLeaderContender } from '../../core/coordination/leader-contender.ts';
import { RedisEventStream } from '../../core/coordination/event-stream.ts';
import { Master } from '../../core/master/master.ts';
import type { TaskRecord } from '../../core/master/records.ts';
import type { TaskStatus } from '../../core/sdk/protocol.ts';
import { Agent } from '../../core/agent/agent.ts';
import { detectHostResources } from '../../core/agent/host-resources.ts';
import { parseIsolation } from '../../core/agent/isolation/isolation-options.ts';
import { parseAttributes, parseResources } from '../../core/resources/resources.ts';
import { splitResources } from '../../core/resources/split-resources.ts';
import { InProcessTransport, SchedulerDriver, type FrameworkIdStore } from '../../core/sdk/index.ts';
import { ExecuteFramework } from '../tasks/execute-framework.ts';
import { AppsService } from '../apps/apps-service.ts';
import { JobsService } from '../jobs/jobs-service.ts';
import { buildHttpServer } from './http-server.ts';
import { MetricsRegistry } from './metrics.ts';
import { masterObserver, registerMasterMetrics } from './metrics/master-metrics.ts';
import { registerAgentMetrics } from './metrics/agent-metrics.ts';
import { jobsObserver, registerJobsMetrics } from './metrics/jobs-metrics.ts';
import { registerAppsMetrics } from './metrics/apps-metrics.ts';
import { registerHaMetrics } from './metrics/ha-metrics.ts';
import { EventBus } from './event-bus.ts';
import { allRouteModules } from './routes.ts';
import type { LeaderInfo } from './routes/cluster-routes.ts';
import type { ServerDeps } from './deps.ts';
import { loadApiSecurity, type ApiSecurityOptions } from './auth/api-security.ts';
import { isLoopback } from './auth/auth-config.ts';
import { FrameworkAuthenticator, loadFrameworkCredentials } from './routes/scheduler-credentials.ts';
import { HttpAgentLink } from '../../core/transport/http-agent-link.ts';
import type { AgentProtocol } from './routes/agent-routes.ts';

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
  master: Master;
  /** The first in-process agent (`agents[0]`), when there is one. */
  agent?: Agent;
  agents: Agent[];
  http: FastifyInstance;
  events: EventBus;
  stop(): Promise<void>;
}

export class ConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The framework id of a built-in framework, kept in the registry so it re-subscribes as itself after a restart. */
function registryIdStore(store: RedisRegistryStore, name: string): FrameworkIdStore {
  return {
    load: () => store.get<string>('framework-ids', name),
    save: (id) => store.put('framework-ids', name, id),
  };
}

export async function startOrrery(cfg: OrreryConfig, logger: Logger, clock: Clock = systemClock): Promise<RunningOrrery> {
  const security = await loadApiSecurity(cfg.host, cfg.security ?? {}, logger);
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
  const credentials = parsed(loadFrameworkCredentials(cfg.frameworkCredentials ?? {}), 'framework-credentials-file');
  const frameworkAuth = credentials ? new FrameworkAuthenticator(credentials) : undefined;
  if (!frameworkAuth && !isLoopback(cfg.host)) {
    throw new ConfigError(
      'framework-credentials-file',
      `refusing to listen on ${cfg.host}: framework credentials are not configured, so anyone reaching it could subscribe a framework on /api/v1/scheduler; ` +
        'set ORRERY_FRAMEWORK_CREDENTIALS=\'{"credentials":[{"principal":"…","secret":"…"}]}\' or pass --framework-credentials-file FILE (README, "Framework API")',
    );
  }

  const stack: Array<() => Promise<void> | void> = [];
  const unwind = async (): Promise<void> => {
    for (const step of stack.reverse()) {
      try {
        await step();
      } catch (e) {
        logger.warn({ err: e }, 'shutdown step failed');
      }
    }
    stack.length = 0;
  };
  try {
    const endpoint: RedisEndpoint = await redisConfig(() => connectOrStartRedis({ url: cfg.redisUrl, workDir, logger }));
    stack.push(() => endpoint.stop());
    // Every Redis connection of the process (registry, events, lease, jobs, BullMQ, apps) comes from it.
    const connect: RedisConnect = await redisConfig(async () => redisConnector(endpoint.url, logger));
    const redis = connect('orrery-registry');
    stack.push(async () => {
      await redis.quit();
    });
    const store = new RedisRegistryStore(redis, cfg.keyPrefix, logger);

    const masterId = randomUUID();
    const url = `${scheme}://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${cfg.port}`;
    const contender = new RedisLeaderContender(redis, cfg.keyPrefix, { id: masterId, ttlMs: cfg.leaseTtlMs, address: url }, clock, logger);
    const metrics = new MetricsRegistry();
    registerHaMetrics(metrics, contender);
    const waiting = clock.setTimeout(() => logger.warn({ prefix: cfg.keyPrefix }, 'waiting for the leader lease: another Orrery uses this Redis and key prefix (use --prefix for a separate cluster)'), cfg.leaseTtlMs + 500);
    const { epoch } = await contender.campaign();
    waiting.cancel();
    stack.push(() => contender.resign());
    store.setEpoch(epoch);
    const electedAt = new Date(clock.now()).toISOString();
    let leader: LeaderInfo | undefined = { id: masterId, address: url, epoch, electedAt };
    contender.on('lost', ({ reason }) => {
      leader = undefined;
      logger.error({ reason }, 'leadership lost; this process stops acting as master');
      process.kill(process.pid, 'SIGTERM');
    });

    const events = new EventBus(new RedisEventStream(redis, cfg.keyPrefix, logger), logger);
    stack.push(() => events.close());
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
    const master = new Master({
      id: masterId,
      clock,
      logger,
      store,
      observer,
      offerTimeoutMs: cfg.offerTimeoutMs,
      agentHeartbeatIntervalMs: cfg.agentHeartbeatIntervalMs,
      agentTimeoutMs: cfg.agentTimeoutMs,
      agentLostTimeoutMs: cfg.agentLostTimeoutMs,
      agentReregisterTimeoutMs: cfg.agentReregisterTimeoutMs,
    });
    await master.start();
    stack.push(async () => {
      master.stop();
      await store.flush();
    });
    registerMasterMetrics(metrics, () => master);

    const agents: Agent[] = [];
    if (cfg.localAgent !== false) for (const [i, resources] of agentResources.entries()) {
      const n = i + 1;
      const agent = new Agent({ workDir: path.join(workDir, n === 1 ? 'agent' : `agent-${n}`), resources, attributes, clock, logger, hostname: agentCount === 1 ? hostname() : `${hostname()}-${n}`, isolation: cfg.isolation, sandboxGc: cfg.sandboxGc });
      await agent.start(master);
      stack.push(() => agent.stop({ killTasks: !cfg.keepTasks }));
      agents.push(agent);
    }
    const agent: Agent | undefined = agents[0];
    const clusterSecret = cfg.clusterSecret;
    const agentProtocol: AgentProtocol | undefined = clusterSecret
      ? { clusterSecret, newLink: (url, sessionId) => new HttpAgentLink({ url, sessionId, clusterSecret, clock, logger }) }
      : undefined;
    registerAgentMetrics(metrics, () => master, () => agents);

    const execute = new ExecuteFramework({ clock, logger });
    const driver = new SchedulerDriver(new InProcessTransport(master), { name: 'orrery-execute', role: '*', failoverTimeoutMs: 7 * 24 * 3600 * 1000 }, execute, {
      logger,
      idStore: registryIdStore(store, 'orrery-execute'),
    });
    execute.attach(driver);
    const subscribed = await driver.start();
    if (!subscribed.ok) throw new Error(`execute framework could not subscribe: ${subscribed.error.message}`);
    stack.push(() => driver.stop());

    const jobs = new JobsService({ transport: new InProcessTransport(master), redisUrl: endpoint.url, redis: connect, prefix: cfg.keyPrefix, clock, logger, events, observer: jobsObserver(metrics) });
    registerJobsMetrics(metrics, () => jobs, logger);
    await jobs.start();
    stack.push(() => jobs.stop());

    // Health checks go where the master reaches the agent (its advertised address); this host's own tasks to
    // loopback, as its name may not resolve.
    const thisHost = hostname();
    const addresses = new Map<string, { address: string; at: number }>();
    const agentAddress = (h: string): string => {
      const known = addresses.get(h);
      if (known && clock.now() - known.at < 10_000) return known.address;
      let address = h === thisHost ? '127.0.0.1' : h;
      for (const a of master.agents.values()) {
        if (a.hostname === h && a.link instanceof HttpAgentLink) address = new URL(a.link.url).hostname.replace(/^\[|\]$/g, '');
      }
      addresses.set(h, { address, at: clock.now() });
      return address;
    };
    const apps = new AppsService({ transport: new InProcessTransport(master), redisUrl: endpoint.url, redis: connect, prefix: cfg.keyPrefix, clock, logger, events, agentAddress });
    registerAppsMetrics(metrics, () => apps);
    await apps.start();
    stack.push(() => apps.stop());

    const deps: ServerDeps = {
      master: () => master,
      leader: () => leader,
      execute: () => ({ framework: execute, frameworkId: driver.frameworkId }),
      events: () => events,
      apps: () => apps,
      jobs: () => jobs,
      builtinFrameworkIds: () => [driver.frameworkId, jobs.frameworkId, apps.frameworkId],
      frameworkAuth: () => frameworkAuth,
      schedulerHeartbeatMs: () => cfg.schedulerHeartbeatMs ?? 15_000,
      agentProtocol: () => agentProtocol,
    };
    const http = await buildHttpServer({ logger, routes: allRouteModules(deps), metrics, info: { version: cfg.version }, tokens, tls });
    await http.listen({ host: cfg.host, port: cfg.port });
    stack.push(() => http.close());
    const address = http.server.address();
    const boundUrl = typeof address === 'object' && address ? `${scheme}://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${address.port}` : url;
    if (leader) leader.address = boundUrl;
    logger.info({ url: boundUrl, agentIds: agents.map((a) => a.agentId), remoteAgents: agentProtocol !== undefined, redis: endpoint.started ? 'private' : 'external', workDir }, 'orrery is up');
    return { url: boundUrl, master, agent, agents, http, events, stop: unwind };
  } catch (e) {
    await unwind();
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
