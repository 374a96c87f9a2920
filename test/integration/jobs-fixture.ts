/**
 * Shared set-up of the jobs tests: an in-process cluster (real Redis, master, real agents), a jobs service
 * on it, and an HTTP server with only the jobs and Chronos routes, whose responses are checked against
 * that server's OpenAPI document.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { systemClock, type Clock, type TimerHandle } from '../../core/clock/clock.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import { chronosRoutes } from '../../services/jobs/chronos-routes.ts';
import { JobsService, type JobsTuning } from '../../services/jobs/jobs-service.ts';
import { jobsRoutes } from '../../services/jobs/routes.ts';
import { buildHttpServer } from '../../services/server/http-server.ts';
import { MetricsRegistry } from '../../services/server/metrics.ts';
import { expectMatchesSpec } from '../contract/helpers.ts';
import { startCluster, type ClusterAgentSpec, type TestCluster } from '../helpers/cluster.ts';
import { waitFor } from '../helpers/wait-for.ts';

export type Json = Record<string, any>;

/** The system clock shifted by `offset` ms: real timers, and "now" wherever a test wants it (e.g. 0.5 s before a minute). */
export class OffsetClock implements Clock {
  constructor(public offset = 0) {}
  now(): number {
    return Date.now() + this.offset;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    return systemClock.setTimeout(fn, ms);
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    return systemClock.setInterval(fn, ms);
  }
}

export interface RecordedEvent {
  type: string;
  data: Record<string, unknown>;
}

export interface JobsHarness {
  cluster: TestCluster;
  service: JobsService;
  app: FastifyInstance;
  events: RecordedEvent[];
  /** Calls the API and checks the response against the served OpenAPI document. */
  call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, template: string, payload?: unknown): Promise<{ status: number; body: any; res: LightMyRequestResponse }>;
  /** Another jobs service (replica) on the same cluster and Redis. */
  replica(replicaId: string, opts?: { clock?: Clock; tuning?: Partial<JobsTuning> }): Promise<{ service: JobsService; events: RecordedEvent[] }>;
  /** Polls a job's runs until `pred` holds. */
  waitForRuns(job: string, pred: (runs: Json[]) => boolean, timeoutMs?: number): Promise<Json[]>;
  stop(): Promise<void>;
}

export async function startJobsHarness(opts: { agents?: ClusterAgentSpec[]; clock?: Clock; tuning?: Partial<JobsTuning>; cluster?: TestCluster } = {}): Promise<JobsHarness> {
  const cluster = opts.cluster ?? (await startCluster({ agents: opts.agents }));
  const logger = silentLogger();
  const services: JobsService[] = [];
  const make = async (replicaId: string, clock: Clock, tuning?: Partial<JobsTuning>) => {
    const events: RecordedEvent[] = [];
    const service = new JobsService({
      transport: cluster.transport(),
      redisUrl: cluster.redis.url,
      prefix: cluster.prefix,
      clock,
      logger,
      events: { publish: (type, data) => events.push({ type, data }) },
      replicaId,
      tuning,
    });
    await service.start();
    services.push(service);
    return { service, events };
  };
  const main = await make('main', opts.clock ?? systemClock, opts.tuning);
  const deps = { jobs: () => main.service };
  const app = await buildHttpServer({ logger, routes: [jobsRoutes(deps), chronosRoutes(deps)], metrics: new MetricsRegistry({ defaultMetrics: false }) });
  await app.ready();
  const call: JobsHarness['call'] = async (method, url, template, payload) => {
    const res = await app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
    await expectMatchesSpec(app, res, method, template);
    const ct = String(res.headers['content-type'] ?? '');
    return { status: res.statusCode, body: ct.includes('json') ? res.json() : res.body, res };
  };
  return {
    cluster,
    service: main.service,
    app,
    events: main.events,
    call,
    replica: (id, o = {}) => make(id, o.clock ?? systemClock, o.tuning),
    async waitForRuns(job, pred, timeoutMs = 10_000) {
      return waitFor(
        async () => {
          const r = await call('GET', `/v1/jobs/${job}/runs?limit=1000`, '/v1/jobs/{name}/runs');
          return pred(r.body.runs) ? (r.body.runs as Json[]) : undefined;
        },
        { timeoutMs, intervalMs: 50, message: `runs of ${job}` },
      );
    },
    async stop() {
      await app.close();
      for (const s of services) await s.stop();
      if (!opts.cluster) await cluster.stop();
    },
  };
}
