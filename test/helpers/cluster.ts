/**
 * An in-process cluster for service tests: a real Redis (one per call, free port), a master persisting to it with
 * a real fencing epoch, and N real agents (real processes, each with its own work dir and hostname). Services get
 * an SDK transport to the master exactly as in `orrery up`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Agent } from '../../core/agent/agent.ts';
import { systemClock, type Clock } from '../../core/clock/clock.ts';
import { silentLogger, type Logger } from '../../core/logging/logger.ts';
import { Master } from '../../core/master/master.ts';
import { parseAttributes, parseResources } from '../../core/resources/resources.ts';
import { InProcessTransport, type Transport } from '../../core/sdk/index.ts';
import { freshStore } from './registry.ts';
import { startTestRedis, type TestRedis } from './redis.ts';
import { portRange } from './ports.ts';

export interface ClusterAgentSpec {
  hostname: string;
  /** Mesos text, e.g. `cpus:2;mem:1024;ports:[31000-31100]`. */
  resources: string;
  attributes?: string;
}

export interface TestCluster {
  redis: TestRedis;
  /** A client for the test's own checks. */
  client: Redis;
  /** Key prefix of this cluster (services should put their keys under it too). */
  prefix: string;
  master: Master;
  agents: Agent[];
  clock: Clock;
  logger: Logger;
  /** A new SDK transport to the master (one per framework). */
  transport(): Transport;
  stop(): Promise<void>;
}

const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

export async function startCluster(opts: { agents?: ClusterAgentSpec[]; redis?: TestRedis; logger?: Logger } = {}): Promise<TestCluster> {
  const redis = opts.redis ?? (await startTestRedis());
  const client = new Redis(redis.url);
  const prefix = `c-${randomUUID().slice(0, 8)}`;
  const logger = opts.logger ?? silentLogger();
  const store = await freshStore(client, prefix);
  const master = new Master({ clock: systemClock, logger, store, offerTimeoutMs: 30_000, allocationIntervalMs: 200 });
  await master.start();
  const dirs: string[] = [];
  const agents: Agent[] = [];
  for (const spec of opts.agents ?? [{ hostname: 'agent-1', resources: `cpus:4;mem:4096;disk:10000;ports:${portRange(1000)}` }]) {
    const dir = await mkdtemp(path.join(tmpdir(), `orrery-${spec.hostname}-`));
    dirs.push(dir);
    const agent = new Agent({
      workDir: dir,
      hostname: spec.hostname,
      resources: must(parseResources(spec.resources)),
      attributes: spec.attributes ? must(parseAttributes(spec.attributes)) : {},
      clock: systemClock,
      logger,
      statusRetry: { initialMs: 200, maxMs: 2000 },
      defaultKillGracePeriodMs: 2000,
    });
    await agent.start(master);
    agents.push(agent);
  }
  return {
    redis,
    client,
    prefix,
    master,
    agents,
    clock: systemClock,
    logger,
    transport: () => new InProcessTransport(master),
    async stop() {
      for (const a of agents) await a.stop({ killTasks: true });
      master.stop();
      await store.flush();
      await client.quit();
      if (!opts.redis) await redis.stop();
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    },
  };
}
