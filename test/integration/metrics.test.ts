/**
 * `/metrics` after a short workload on a real `orrery up` (real Redis, the real local agent, real processes): a
 * task with a fetched URI, a job run, an app of one instance with a health check scaled to two. Every metric
 * family issue 9 lists must then be there with plausible values, and the Grafana dashboard in examples/ and the
 * table in docs/metrics.md may only name metrics that exist (so neither drifts from the code).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOrrery, type TestOrrery } from '../helpers/orrery.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait-for.ts';

type Json = Record<string, any>;

interface Sample {
  labels: Record<string, string>;
  value: number;
}
interface Family {
  type: string;
  samples: Map<string, Sample[]>;
}

/** The Prometheus text format, enough of it for these assertions: families by name, samples by series name. */
function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  let current: Family | undefined;
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      current = { type: type[2], samples: new Map() };
      families.set(type[1], current);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || !current) throw new Error(`unparsable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    const list = current.samples.get(m[1]) ?? [];
    list.push({ labels, value: Number(m[3]) });
    current.samples.set(m[1], list);
  }
  return families;
}

/** The families issue 9 asks for, by area. */
const REQUIRED = {
  master: ['orrery_master_agents', 'orrery_master_frameworks', 'orrery_master_outstanding_offers', 'orrery_master_offers_made_total', 'orrery_master_allocation_cycle_seconds', 'orrery_master_tasks', 'orrery_master_status_update_latency_seconds'],
  agents: ['orrery_agent_tasks', 'orrery_agent_running_tasks', 'orrery_agent_tasks_ended_total', 'orrery_agent_isolator_info', 'orrery_agent_resources_total', 'orrery_agent_resources_used', 'orrery_agent_fetches_total'],
  jobs: ['orrery_jobs_runs_total', 'orrery_jobs_run_lateness_seconds', 'orrery_jobs_trigger_queue_depth'],
  apps: ['orrery_apps_instances_wanted', 'orrery_apps_instances_running', 'orrery_apps_instances_healthy', 'orrery_apps_deployments_total', 'orrery_apps_deployments_running', 'orrery_apps_backoffs_total'],
  ha: ['orrery_ha_leader', 'orrery_ha_epoch', 'orrery_ha_lease_renew_seconds', 'orrery_ha_failovers_total'],
};

const root = path.resolve(import.meta.dirname, '../..');
const HTTP_SERVER = 'exec /usr/bin/python3 -m http.server $PORT0';
const fastCheck = { protocol: 'HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 10, intervalSeconds: 0.2, timeoutSeconds: 1, maxConsecutiveFailures: 3 };

let redis: TestRedis;
let orrery: TestOrrery;
let families: Map<string, Family>;

async function call(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<{ status: number; body: Json }> {
  const res = await orrery.http.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.json() };
}

async function scrape(): Promise<Map<string, Family>> {
  const res = await orrery.http.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  return parseExposition(res.body);
}

function value(name: string, labels: Record<string, string> = {}, series = name): number | undefined {
  const f = families.get(name);
  const hit = f?.samples.get(series)?.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return hit?.value;
}

/** Sum over every sample of a series whose labels include `labels`. */
function sum(name: string, labels: Record<string, string> = {}, series = name): number {
  return (families.get(name)?.samples.get(series) ?? []).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);
}

beforeAll(async () => {
  redis = await startTestRedis();
  // The helper's lease (5 s, renewed every 1.7 s). A shorter one could expire on a loaded machine, and a master
  // that loses its lease stops its own process (here: the test worker).
  orrery = await startTestOrrery(redis.url, { keyPrefix: 'metrics-test' });
  const fetched = path.join(orrery.workDir, 'payload.txt');
  await writeFile(fetched, 'fetched\n');

  // A task whose URI the agent's fetcher copies into the sandbox.
  const task = await call('POST', '/v1/tasks', { command: 'cat payload.txt', cpus: 0.1, mem: 32, uris: [fetched] });
  expect(task.status).toBe(202);
  // A job run.
  expect((await call('POST', '/v1/jobs', { name: 'metrics-job', command: 'true', cpus: 0.1, mem: 32 })).status).toBe(201);
  const run = await call('POST', '/v1/jobs/metrics-job/runs');
  expect(run.status).toBe(202);
  // An app with a health check, scaled from 1 to 2.
  const app = await call('POST', '/v1/apps', { id: '/metrics/web', cmd: HTTP_SERVER, instances: 1, cpus: 0.1, mem: 32, ports: [{ name: 'http' }], healthChecks: [fastCheck] });
  expect(app.status).toBe(201);

  await waitFor(async () => (await call('GET', `/v1/tasks/${task.body.id}`)).body.state === 'FINISHED' || undefined, { timeoutMs: 20_000, message: 'task FINISHED' });
  await waitFor(async () => (await call('GET', `/v1/jobs/metrics-job/runs/${run.body.id}`)).body.state === 'SUCCEEDED' || undefined, { timeoutMs: 20_000, message: 'job run SUCCEEDED' });
  const settled = (healthy: number) => async () => {
    const a = (await call('GET', `/v1/apps/${encodeURIComponent('/metrics/web')}`)).body;
    const deployments = (await call('GET', '/v1/deployments')).body.deployments;
    return (a.counts.healthy === healthy && deployments.length === 0) || undefined;
  };
  await waitFor(settled(1), { timeoutMs: 30_000, message: 'app created with 1 healthy instance' });
  expect((await call('POST', `/v1/apps/${encodeURIComponent('/metrics/web')}/scale`, { instances: 2 })).status).toBe(200);
  await waitFor(settled(2), { timeoutMs: 30_000, message: 'app scaled to 2 healthy instances' });
  // Renewals come every ttl/3; the framework acknowledgements of the last updates follow their delivery.
  families = await waitFor(
    async () => {
      const f = await scrape();
      const renewals = f.get('orrery_ha_lease_renew_seconds')?.samples.get('orrery_ha_lease_renew_seconds_count')?.find((s) => s.labels.result === 'renewed')?.value ?? 0;
      return renewals >= 1 ? f : undefined;
    },
    { timeoutMs: 15_000, message: 'a lease renewal observed' },
  );
}, 120_000);

afterAll(async () => {
  await orrery?.stop();
  await redis?.stop();
});

describe('/metrics after a short workload', () => {
  it.each(Object.entries(REQUIRED))('has every %s family the issue lists', (_area, names) => {
    const missing = names.filter((n) => !families.has(n));
    expect(missing).toEqual([]);
  });

  it('master: agents, frameworks, offers, allocation cycles, tasks by state, status update latency', () => {
    expect(value('orrery_master_agents', { state: 'ACTIVE' })).toBe(1);
    // The built-in execute, jobs and apps frameworks.
    expect(value('orrery_master_frameworks', { active: 'true' })).toBe(3);
    expect(value('orrery_master_offers_made_total')).toBeGreaterThanOrEqual(3);
    expect(value('orrery_master_allocation_cycle_seconds', {}, 'orrery_master_allocation_cycle_seconds_count')).toBeGreaterThan(0);
    expect(value('orrery_master_tasks', { state: 'FINISHED' })).toBeGreaterThanOrEqual(2); // the task and the job's
    expect(value('orrery_master_tasks', { state: 'RUNNING' })).toBe(2); // the app's instances
    const acks = value('orrery_master_status_update_latency_seconds', {}, 'orrery_master_status_update_latency_seconds_count')!;
    expect(acks).toBeGreaterThanOrEqual(6); // RUNNING and FINISHED of two tasks, RUNNING of two instances at least
    expect(value('orrery_master_status_update_latency_seconds', { le: '+Inf' }, 'orrery_master_status_update_latency_seconds_bucket')).toBe(acks);
  });

  it('agents: tasks, isolators, resources used and total, fetcher', () => {
    const agentId = orrery.agent.agentId!;
    expect(value('orrery_agent_tasks', { agent: agentId })).toBe(2);
    expect(value('orrery_agent_running_tasks', { agent: agentId })).toBe(2);
    expect(value('orrery_agent_tasks_launched_total', { agent: agentId })).toBeGreaterThanOrEqual(4);
    expect(value('orrery_agent_tasks_ended_total', { agent: agentId, state: 'FINISHED' })).toBeGreaterThanOrEqual(2);
    expect(value('orrery_agent_isolator_info', { agent: agentId, isolator: 'posix/process-group' })).toBe(1);
    expect(value('orrery_agent_resources_total', { agent: agentId, resource: 'cpus' })).toBe(2);
    expect(value('orrery_agent_resources_total', { agent: agentId, resource: 'mem' })).toBe(1024);
    expect(value('orrery_agent_resources_total', { agent: agentId, resource: 'ports' })).toBe(101);
    expect(value('orrery_agent_resources_used', { agent: agentId, resource: 'cpus' })).toBeCloseTo(0.2);
    expect(value('orrery_agent_resources_used', { agent: agentId, resource: 'ports' })).toBe(2);
    expect(value('orrery_agent_fetches_total', { agent: agentId, result: 'ok' })).toBe(1);
    expect(value('orrery_agent_fetches_total', { agent: agentId, result: 'failed' })).toBe(0);
  });

  it('jobs: runs by result, lateness, queue depth', () => {
    expect(value('orrery_jobs_runs_total', { result: 'SUCCEEDED', cause: 'manual' })).toBe(1);
    expect(value('orrery_jobs_run_lateness_seconds', { cause: 'manual' }, 'orrery_jobs_run_lateness_seconds_count')).toBe(1);
    expect(value('orrery_jobs_defined')).toBe(1);
    // Queue states are present; nothing is scheduled, so the queue holds no trigger.
    for (const state of ['delayed', 'waiting', 'active', 'failed']) expect(value('orrery_jobs_trigger_queue_depth', { state })).toBe(0);
  });

  it('apps: instances wanted, running, healthy; deployments; backoffs', () => {
    const app = { app: '/metrics/web' };
    expect(value('orrery_apps_instances_wanted', app)).toBe(2);
    expect(value('orrery_apps_instances_running', app)).toBe(2);
    expect(value('orrery_apps_instances_healthy', app)).toBe(2);
    expect(value('orrery_apps_backoff_delayed', app)).toBe(0);
    expect(value('orrery_apps_deployments_started_total')).toBe(2);
    expect(value('orrery_apps_deployments_total', { status: 'SUCCEEDED' })).toBe(2);
    expect(value('orrery_apps_deployments_running')).toBe(0);
    expect(value('orrery_apps_backoffs_total')).toBe(0);
  });

  it('HA: leader, epoch, lease renew latency, failovers', () => {
    expect(value('orrery_ha_leader')).toBe(1);
    expect(value('orrery_ha_epoch')).toBeGreaterThanOrEqual(1);
    expect(value('orrery_ha_elections_total')).toBe(1);
    expect(value('orrery_ha_failovers_total')).toBe(value('orrery_ha_epoch')! > 1 ? 1 : 0);
    expect(sum('orrery_ha_leadership_lost_total')).toBe(0);
    expect(value('orrery_ha_lease_renew_seconds', { result: 'renewed' }, 'orrery_ha_lease_renew_seconds_count')).toBeGreaterThanOrEqual(1);
  });

  it('never labels a series with a task id', () => {
    const taskIds = new Set<string>();
    for (const s of families.get('orrery_master_tasks')!.samples.values()) for (const x of s) expect(Object.keys(x.labels)).toEqual(['state']);
    for (const f of families.values()) for (const list of f.samples.values()) for (const s of list) for (const v of Object.values(s.labels)) taskIds.add(v);
    for (const id of orrery.master.tasks.filter({}).map((t) => t.info.taskId)) expect(taskIds.has(id)).toBe(false);
  });
});

describe('examples/grafana/orrery-dashboard.json', () => {
  it('is a Grafana dashboard on a Prometheus datasource variable whose every query names a metric on /metrics', async () => {
    const dashboard = JSON.parse(await readFile(path.join(root, 'examples/grafana/orrery-dashboard.json'), 'utf8')) as Json;
    expect(dashboard.title).toMatch(/Orrery/);
    expect(dashboard.templating.list.find((v: Json) => v.type === 'datasource')).toMatchObject({ name: 'datasource', query: 'prometheus' });
    const panels: Json[] = dashboard.panels.flatMap((p: Json) => [p, ...(p.panels ?? [])]);
    const queried = new Set<string>();
    for (const p of panels.filter((p) => p.type !== 'row')) {
      expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(p.targets.length).toBeGreaterThan(0);
      for (const t of p.targets as Json[]) for (const m of String(t.expr).matchAll(/\borrery_[a-z0-9_]+/g)) queried.add(m[0]);
    }
    // A histogram is one family with _bucket, _sum and _count series.
    const family = (series: string): string => (families.has(series) ? series : series.replace(/_(bucket|sum|count)$/, ''));
    expect([...queried].filter((q) => !families.has(family(q)))).toEqual([]);
    // And it shows every family the issue lists.
    const shown = new Set([...queried].map(family));
    expect(Object.values(REQUIRED).flat().filter((n) => !shown.has(n))).toEqual([]);
    // Panel ids are unique (Grafana links and edits panels by id).
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('docs/metrics.md', () => {
  it("documents every Orrery family on /metrics (all but the process's default metrics), and only those", async () => {
    const doc = await readFile(path.join(root, 'docs/metrics.md'), 'utf8');
    const documented = new Set([...doc.matchAll(/^\| `(orrery_[a-z0-9_]+)` \|/gm)].map((m) => m[1]));
    const exposed = [...families.keys()].filter((n) => !/^orrery_(process|nodejs)_/.test(n));
    expect(exposed.filter((n) => !documented.has(n))).toEqual([]);
    expect([...documented].filter((n) => !families.has(n))).toEqual([]);
  });
});
