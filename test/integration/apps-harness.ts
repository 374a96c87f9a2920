/**
 * Shared set-up of the apps integration tests: a real cluster (Redis, master, real agents), the apps service on
 * it, and an HTTP server with the native and Marathon routes; requests go through `inject` and every response is
 * checked against the served OpenAPI document.
 */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { silentLogger, type Logger } from '../../core/logging/logger.ts';
import { AppsService } from '../../services/apps/apps-service.ts';
import type { AppsOptions } from '../../services/apps/apps-context.ts';
import { marathonRoutes } from '../../services/apps/marathon-routes.ts';
import { appsRoutes } from '../../services/apps/routes.ts';
import { buildHttpServer } from '../../services/server/http-server.ts';
import { MetricsRegistry } from '../../services/server/metrics.ts';
import { expectMatchesSpec } from '../contract/helpers.ts';
import { startCluster, type ClusterAgentSpec, type TestCluster } from '../helpers/cluster.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { portRange } from '../helpers/ports.ts';

export type Json = Record<string, any>;

export interface RecordedEvent {
  type: string;
  data: Record<string, unknown>;
  at: number;
}

/** Agents whose hostnames resolve to this machine, so health checks reach the tasks. */
export const LOCAL_AGENTS: ClusterAgentSpec[] = [
  { hostname: 'localhost', resources: `cpus:8;mem:8192;disk:10000;ports:${portRange(500)}`, attributes: 'rack:a' },
  { hostname: '127.0.0.1', resources: `cpus:8;mem:8192;disk:10000;ports:${portRange(500)}`, attributes: 'rack:b' },
];

/** A tiny HTTP server on $PORT0 (Python's, started with exec so the task's process is the server). */
export const HTTP_SERVER = 'exec /usr/bin/python3 -m http.server $PORT0';

/** Short intervals for tests. */
export const FAST_OPTIONS: Partial<AppsOptions> = { reconcileIntervalMs: 200, declineSeconds: 1 };

export class AppsHarness {
  readonly events: RecordedEvent[] = [];
  service!: AppsService;
  http!: FastifyInstance;

  private constructor(readonly cluster: TestCluster, private readonly logger: Logger) {}

  static async start(opts: { agents?: ClusterAgentSpec[]; logger?: Logger } = {}): Promise<AppsHarness> {
    const logger = opts.logger ?? silentLogger();
    const cluster = await startCluster({ agents: opts.agents ?? LOCAL_AGENTS, logger });
    const h = new AppsHarness(cluster, logger);
    await h.startService();
    h.http = await buildHttpServer({
      logger,
      routes: [appsRoutes({ apps: () => h.service }), marathonRoutes({ apps: () => h.service, leader: () => ({ address: 'http://127.0.0.1:8080' }) }, { version: 'test' })],
      metrics: new MetricsRegistry({ defaultMetrics: false }),
    });
    await h.http.ready();
    return h;
  }

  /** (Re)starts the apps service on the same cluster and key prefix. */
  async startService(): Promise<AppsService> {
    this.service = new AppsService({
      transport: this.cluster.transport(),
      redisUrl: this.cluster.redis.url,
      prefix: this.cluster.prefix,
      clock: this.cluster.clock,
      logger: this.logger,
      events: { publish: (type, data) => this.events.push({ type, data, at: Date.now() }) },
      options: FAST_OPTIONS,
    });
    await this.service.start();
    return this.service;
  }

  async stop(): Promise<void> {
    await this.http?.close();
    await this.service?.stop();
    await this.cluster.stop();
  }

  /** A request through inject, its response checked against the spec; `template` is the documented path. */
  async call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, template: string, payload?: unknown): Promise<{ status: number; body: Json; headers: Record<string, unknown> }> {
    const res = await this.http.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
    await expectMatchesSpec(this.http, res, method, template);
    return { status: res.statusCode, body: res.body ? res.json() : {}, headers: res.headers };
  }

  async getApp(id: string): Promise<Json> {
    const r = await this.call('GET', `/v1/apps/${encodeURIComponent(id)}`, '/v1/apps/{id}');
    expect(r.status).toBe(200);
    return r.body;
  }

  async tasks(id: string): Promise<Json[]> {
    const r = await this.call('GET', `/v1/apps/${encodeURIComponent(id)}/tasks`, '/v1/apps/{id}/tasks');
    expect(r.status).toBe(200);
    return r.body.tasks;
  }

  /** Waits until the app is RUNNING (no deployment) with `n` healthy (or running, without checks) instances. */
  async waitSteady(id: string, n: number, opts: { healthy?: boolean; timeoutMs?: number } = {}): Promise<Json> {
    const healthy = opts.healthy ?? true;
    return waitFor(
      async () => {
        const a = await this.getApp(id);
        const c = a.counts;
        const ok = (a.status === 'RUNNING' || (n === 0 && a.status === 'SUSPENDED')) && c.running === n && c.staged === 0 && c.killing === 0 && (!healthy || c.healthy === n);
        return ok ? a : undefined;
      },
      { timeoutMs: opts.timeoutMs ?? 15_000, intervalMs: 50, message: `app ${id} steady with ${n} instances` },
    );
  }

  eventsOf(type: string, appId?: string): RecordedEvent[] {
    return this.events.filter((e) => e.type === type && (appId === undefined || e.data.appId === appId));
  }
}

export const enc = encodeURIComponent;

/** GET http://host:port/ from the test; resolves to the status code, or 0 when nothing answers. */
export async function httpStatus(host: string, port: number): Promise<number> {
  const res = await fetch(`http://${host}:${port}/`, { signal: AbortSignal.timeout(2000) }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  // Refused or timed out: nothing serves that port (what the caller asks about).
  if (res instanceof Error) return 0;
  await res.arrayBuffer();
  return res.status;
}
