/**
 * Everything the apps service keeps in Redis, and the only file of the service that talks to Redis. Every write
 * is a transaction of `FencedTransactions`: in a leadership term it applies only while the term's epoch is
 * current, so a deposed leader cannot change apps, deployments or instances after another took over.
 *
 * Keys, all under the cluster's one hash tag so they share a Redis Cluster slot with the core's registry:
 *   {<prefix>}:apps:specs              hash  appId → AppRecord JSON (the current definition)
 *   {<prefix>}:apps:versions:<appId>   hash  version → AppRecord JSON (history for rollback, newest VERSIONS_KEPT)
 *   {<prefix>}:apps:deployments        hash  deploymentId → Deployment JSON (running ones only)
 *   {<prefix>}:apps:instances          hash  taskId → StoredInstance JSON (written before the launch)
 *   {<prefix>}:apps:framework-id       string, the framework id to re-subscribe with
 */
import { Redis } from 'ioredis';
import type { Logger } from '../../core/logging/logger.ts';
import { FencedTransactions, type LeaderFence } from '../../core/coordination/fenced-transactions.ts';
import type { FrameworkIdStore } from '../../core/sdk/index.ts';
import type { AppRecord } from './app-record.ts';
import type { Deployment, StoredInstance } from './apps-model.ts';

export const VERSIONS_KEPT = 50;
const PREFIX_RE = /^[A-Za-z0-9_.:-]{1,64}$/;

export interface AppStoreKeys {
  specs: string;
  versions(appId: string): string;
  deployments: string;
  instances: string;
  frameworkId: string;
}

export function appStoreKeys(prefix: string): AppStoreKeys {
  if (!PREFIX_RE.test(prefix)) throw new Error(`invalid key prefix ${JSON.stringify(prefix)}: expected 1-64 chars of [A-Za-z0-9_.:-]`);
  const base = `{${prefix}}:apps`;
  return {
    specs: `${base}:specs`,
    versions: (appId) => `${base}:versions:${appId}`,
    deployments: `${base}:deployments`,
    instances: `${base}:instances`,
    frameworkId: `${base}:framework-id`,
  };
}

/** One change, written atomically (MULTI): the app's definition, its version history, its deployments. */
export interface AppChange {
  putApp?: AppRecord;
  deleteApp?: string;
  putDeployments?: Deployment[];
  deleteDeployments?: string[];
}

export interface LoadedState {
  apps: AppRecord[];
  deployments: Deployment[];
  instances: StoredInstance[];
}

/** Opens a named Redis connection (core/coordination's connector: any URL form). */
export type AppsRedisConnect = (name: string, opts?: { autoPipelining?: boolean }) => Redis;

/** Transaction connections: writes of one moment (a scale to hundreds) run this many at a time. */
const TX_CONNECTIONS = 4;

export class AppStore {
  private readonly keys: AppStoreKeys;
  private readonly log: Logger;
  private readonly tx: FencedTransactions;

  private constructor(
    private readonly redis: Redis,
    private readonly txPool: Redis[],
    prefix: string,
    logger: Logger,
    fence?: LeaderFence,
  ) {
    this.keys = appStoreKeys(prefix);
    this.log = logger.child({ component: 'app-store' });
    this.tx = new FencedTransactions(txPool, fence);
  }

  /**
   * Connects (auto-pipelined: the many small writes of one moment go out as one round trip). `connect` opens
   * the connection for any URL form (TLS, Sentinel, Cluster; services/server passes core/coordination's);
   * without it `url` must be a plain redis:// URL. Writes wait for a reconnection (a Sentinel failover)
   * rather than fail at once. Writes are transactions on connections of their own (WATCH is per connection),
   * fenced by `fence` when the service runs in a leadership term: a deposed leader's writes get `FencedError`.
   */
  static async connect(url: string, prefix: string, logger: Logger, connect?: AppsRedisConnect, fence?: LeaderFence): Promise<AppStore> {
    const open = (name: string, autoPipelining: boolean): Redis =>
      connect ? connect(name, { autoPipelining }) : new Redis(url, { enableAutoPipelining: autoPipelining, maxRetriesPerRequest: 2, lazyConnect: true, connectionName: name });
    const redis = open('orrery-apps', true);
    const txPool = Array.from({ length: TX_CONNECTIONS }, (_, i) => open(`orrery-apps-tx${i}`, false));
    const store = new AppStore(redis, txPool, prefix, logger, fence);
    if (!connect) {
      for (const c of [redis, ...txPool]) c.on('error', (e: unknown) => store.log.warn({ err: e }, 'redis connection error'));
      await Promise.all([redis, ...txPool].map((c) => c.connect()));
    }
    return store;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.redis.quit(), ...this.txPool.map((c) => c.quit())]);
  }

  async load(): Promise<LoadedState> {
    const [apps, deployments, instances] = await Promise.all([
      this.redis.hgetall(this.keys.specs),
      this.redis.hgetall(this.keys.deployments),
      this.redis.hgetall(this.keys.instances),
    ]);
    return {
      apps: Object.values(apps).map((s) => JSON.parse(s) as AppRecord),
      deployments: Object.values(deployments).map((s) => JSON.parse(s) as Deployment),
      instances: Object.values(instances).map((s) => JSON.parse(s) as StoredInstance),
    };
  }

  /** Applies one change atomically; rejects (and changes nothing) when Redis does not answer. */
  async write(change: AppChange): Promise<void> {
    await this.tx.write((m) => {
      if (change.putApp) {
        const json = JSON.stringify(change.putApp);
        m.hset(this.keys.specs, change.putApp.spec.id, json);
        m.hset(this.keys.versions(change.putApp.spec.id), change.putApp.version, json);
      }
      if (change.deleteApp) {
        m.hdel(this.keys.specs, change.deleteApp);
        m.del(this.keys.versions(change.deleteApp));
      }
      for (const d of change.putDeployments ?? []) m.hset(this.keys.deployments, d.id, JSON.stringify(d));
      if (change.deleteDeployments?.length) m.hdel(this.keys.deployments, ...change.deleteDeployments);
    });
    if (change.putApp) await this.trimVersions(change.putApp.spec.id);
  }

  private async trimVersions(appId: string): Promise<void> {
    const key = this.keys.versions(appId);
    if ((await this.redis.hlen(key)) <= VERSIONS_KEPT) return;
    const versions = (await this.redis.hkeys(key)).sort();
    const drop = versions.slice(0, versions.length - VERSIONS_KEPT);
    if (drop.length) await this.tx.write((m) => m.hdel(key, ...drop));
  }

  /** Versions of an app, newest first (ISO times sort as text). */
  async listVersions(appId: string): Promise<string[]> {
    return (await this.redis.hkeys(this.keys.versions(appId))).sort().reverse();
  }

  async getVersion(appId: string, version: string): Promise<AppRecord | undefined> {
    const s = await this.redis.hget(this.keys.versions(appId), version);
    return s === null ? undefined : (JSON.parse(s) as AppRecord);
  }

  async putInstances(list: readonly StoredInstance[]): Promise<void> {
    if (list.length === 0) return;
    const fields: string[] = [];
    for (const i of list) fields.push(i.taskId, JSON.stringify(i));
    await this.tx.write((m) => m.hset(this.keys.instances, ...fields));
  }

  async deleteInstances(taskIds: readonly string[]): Promise<void> {
    if (taskIds.length) await this.tx.write((m) => m.hdel(this.keys.instances, ...taskIds));
  }

  frameworkIdStore(): FrameworkIdStore {
    return {
      load: async () => (await this.redis.get(this.keys.frameworkId)) ?? undefined,
      save: async (id) => {
        await this.tx.write((m) => m.set(this.keys.frameworkId, id));
      },
    };
  }
}
