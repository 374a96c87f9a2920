/**
 * What only the leading master runs, for one leadership term: the master (it loads the registry and waits for
 * agents to re-register), the built-in execute framework, jobs and apps. Started when this replica wins the lease
 * (services/server/leadership.ts), stopped when it loses it — stopping never kills a task: the master closes its
 * links, the frameworks leave without tearing down, and the next leader takes them all back.
 *
 *   startLeaderServices(epoch) ─► Master.start() (registry, re-register window) ─► in-process agents re-register
 *                              ─► ExecuteFramework ─► JobsService ─► AppsService
 */
import { hostname } from 'node:os';
import type { Clock } from '../../core/clock/clock.ts';
import type { Logger } from '../../core/logging/logger.ts';
import type { RedisRegistryStore } from '../../core/coordination/registry-store.ts';
import { Master, type MasterObserver } from '../../core/master/master.ts';
import { InProcessTransport, SchedulerDriver, type FrameworkIdStore } from '../../core/sdk/index.ts';
import { HttpAgentLink } from '../../core/transport/http-agent-link.ts';
import { ExecuteFramework, type PendingJournal, type PendingTask } from '../tasks/execute-framework.ts';
import { AppsService } from '../apps/apps-service.ts';
import { JobsService } from '../jobs/jobs-service.ts';
import type { JobsObserver } from '../jobs/run-supervisor.ts';
import type { EventBus } from './event-bus.ts';
import type { RedisConnect } from '../../core/coordination/redis-client.ts';
import { leaderFence } from '../../core/coordination/fenced-transactions.ts';
import { stopOffers, unacknowledgedUpdates } from './term-quiesce.ts';
import { ShutdownStack } from './shutdown-stack.ts';

export interface LeaderServicesConfig {
  masterId: string;
  /** The term's fencing epoch: the jobs' and apps' writes are fenced by it, as the registry's are. */
  epoch: number;
  keyPrefix: string;
  redisUrl: string;
  /** Every Redis connection of the services comes from it (plain, TLS, Sentinel or Cluster). */
  redis?: RedisConnect;
  offerTimeoutMs: number;
  agentHeartbeatIntervalMs?: number;
  agentTimeoutMs?: number;
  agentLostTimeoutMs?: number;
  agentReregisterTimeoutMs?: number;
}

export interface LeaderServicesDeps {
  store: RedisRegistryStore;
  events: EventBus;
  observer: MasterObserver;
  clock: Clock;
  logger: Logger;
  /** Run launches and ends, for the jobs metrics. */
  jobsObserver?: JobsObserver;
}

/**
 * One term's services; `stop` leaves every task running. A clean stop of the process (orrery.ts) calls
 * `quiesce`, stops its agents, waits for `settle`, then `stop`s the term.
 */
export interface LeaderServices {
  master: Master;
  execute: ExecuteFramework;
  executeFrameworkId(): string | undefined;
  jobs: JobsService;
  apps: AppsService;
  /** No more offers (outstanding ones rescinded): nothing is launched from now on; status updates still flow. */
  quiesce(): void;
  /**
   * Resolves once the term's frameworks have acknowledged every status update the master holds for them (each
   * framework acknowledges after handling it), or after `timeoutMs`; to the number still unacknowledged.
   */
  settle(timeoutMs: number): Promise<number>;
  stop(): Promise<void>;
}

const PENDING_COLLECTION = 'execute-pending';
const SETTLE_POLL_MS = 10;

/** The execute framework's submitted-but-not-launched tasks, in the registry (fenced like every registry write). */
function pendingJournal(store: RedisRegistryStore): PendingJournal {
  return {
    put: (task) => store.put(PENDING_COLLECTION, task.id, task),
    delete: (id) => store.delete(PENDING_COLLECTION, id),
  };
}

/** The framework id of a built-in framework, kept in the registry so it re-subscribes as itself after a restart or failover. */
function registryIdStore(store: RedisRegistryStore, name: string): FrameworkIdStore {
  return {
    load: () => store.get<string>('framework-ids', name),
    save: (id) => store.put('framework-ids', name, id),
  };
}

export async function startLeaderServices(cfg: LeaderServicesConfig, deps: LeaderServicesDeps): Promise<LeaderServices> {
  const { store, events, observer, clock, logger } = deps;
  const stack = new ShutdownStack(logger);
  try {
    const master = new Master({
      id: cfg.masterId,
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
    stack.push('master', async () => {
      master.stop();
      // A deposed leader's last writes are fenced by the epoch; that is expected, not a failure to report twice.
      await store.flush().catch((e: unknown) => logger.info({ err: e }, 'last registry writes of the term not applied'));
    });

    const journal = pendingJournal(store);
    const execute = new ExecuteFramework({ clock, logger, journal });
    // Tasks an earlier leader accepted but had not launched; those its master already knows were launched.
    const journaled = await store.getAll<PendingTask>(PENDING_COLLECTION);
    const orphans = [...journaled.values()].filter((t) => master.tasks.get(t.id) === undefined);
    for (const t of journaled.values()) if (master.tasks.get(t.id) !== undefined) void journal.delete(t.id).catch(() => undefined);
    execute.restore(orphans);
    if (orphans.length > 0) logger.info({ tasks: orphans.length }, 'took over tasks submitted to the previous leader and not launched yet');
    const driver = new SchedulerDriver(new InProcessTransport(master), { name: 'orrery-execute', role: '*', failoverTimeoutMs: 7 * 24 * 3600 * 1000 }, execute, {
      logger,
      idStore: registryIdStore(store, 'orrery-execute'),
    });
    execute.attach(driver);
    const subscribed = await driver.start();
    if (!subscribed.ok) throw new Error(`execute framework could not subscribe: ${subscribed.error.message}`);
    stack.push('execute framework', () => driver.stop());

    const fence = leaderFence(cfg.keyPrefix, cfg.epoch);
    const jobs = new JobsService({ transport: new InProcessTransport(master), redisUrl: cfg.redisUrl, redis: cfg.redis, prefix: cfg.keyPrefix, fence, clock, logger, events, observer: deps.jobsObserver });
    await jobs.start();
    stack.push('jobs', () => jobs.stop());

    const apps = new AppsService({ transport: new InProcessTransport(master), redisUrl: cfg.redisUrl, redis: cfg.redis, prefix: cfg.keyPrefix, fence, clock, logger, events, agentAddress: agentAddressOf(master, clock) });
    await apps.start();
    stack.push('apps', () => apps.stop());

    const settle = async (timeoutMs: number): Promise<number> => {
      const deadline = clock.now() + timeoutMs;
      for (;;) {
        // The agents' last updates are applied once the master's registry writes are: then they are forwarded.
        await store.flush().catch(() => undefined);
        const left = unacknowledgedUpdates(master);
        if (left === 0 || clock.now() >= deadline) return left;
        // Acknowledgements raise no event the server can wait on; this runs once, at a stop, for a moment.
        await new Promise<void>((resolve) => clock.setTimeout(resolve, SETTLE_POLL_MS));
      }
    };
    return { master, execute, executeFrameworkId: () => driver.frameworkId, jobs, apps, quiesce: () => stopOffers(master), settle, stop: () => stack.unwind() };
  } catch (e) {
    await stack.unwind();
    throw e;
  }
}

/**
 * Where health checks reach an agent's host: its advertised address; this host's own tasks by loopback, as its
 * name may not resolve. Cached for 10 s per host name.
 */
function agentAddressOf(master: Master, clock: Clock): (host: string) => string {
  const thisHost = hostname();
  const addresses = new Map<string, { address: string; at: number }>();
  return (h) => {
    const known = addresses.get(h);
    if (known && clock.now() - known.at < 10_000) return known.address;
    let address = h === thisHost ? '127.0.0.1' : h;
    for (const a of master.agents.values()) {
      if (a.hostname === h && a.link instanceof HttpAgentLink) address = new URL(a.link.url).hostname.replace(/^\[|\]$/g, '');
    }
    addresses.set(h, { address, at: clock.now() });
    return address;
  };
}
