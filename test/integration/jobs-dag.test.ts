/**
 * Dependencies, end to end with real processes: the diamond a → {b, c} → d. d runs only after both b and c
 * succeeded; c failing keeps d from running (graph: c red, d not run); extra parent runs queue no extra
 * child runs; the trigger state survives a restart of the jobs service (Chronos lost it on failover, its
 * issue #811); fixing c and running it makes d run once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobsService } from '../../services/jobs/jobs-service.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import { systemClock } from '../../core/clock/clock.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { startJobsHarness, type JobsHarness, type Json } from './jobs-fixture.ts';

let h: JobsHarness;
beforeAll(async () => {
  h = await startJobsHarness();
});
afterAll(async () => {
  await h?.stop();
});

const put = async (job: Json): Promise<void> => {
  const r = await h.call('POST', '/v1/jobs', '/v1/jobs', job);
  expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
};
const runNow = async (name: string): Promise<string> => (await h.call('POST', `/v1/jobs/${name}/runs`, '/v1/jobs/{name}/runs', {})).body.id;
const runsOf = async (name: string): Promise<Json[]> => (await h.call('GET', `/v1/jobs/${name}/runs`, '/v1/jobs/{name}/runs')).body.runs;
const ended = (rs: Json[]) => rs.length > 0 && rs.every((r) => ['SUCCEEDED', 'FAILED', 'KILLED'].includes(r.state));

describe('diamond a → {b, c} → d', () => {
  it('runs d only when b and c both succeeded since d last started, durably', async () => {
    const small = { cpus: 0.1, mem: 16 };
    await put({ name: 'a', command: 'true', ...small });
    await put({ name: 'b', command: 'true', parents: ['a'], ...small });
    await put({ name: 'c', command: 'exit 3', parents: ['a'], ...small });
    await put({ name: 'd', command: 'echo joined', parents: ['b', 'c'], ...small });

    await runNow('a');
    await h.waitForRuns('b', (rs) => rs.length === 1 && ended(rs));
    const [c1] = await h.waitForRuns('c', (rs) => rs.length === 1 && ended(rs));
    expect(c1).toMatchObject({ state: 'FAILED', exitCode: 3, cause: 'parent', triggeredBy: { job: 'a' } });
    // b twice more: extra parent successes queue no extra runs of d.
    await runNow('b');
    await h.waitForRuns('b', (rs) => rs.length === 2 && ended(rs));
    await runNow('b');
    await h.waitForRuns('b', (rs) => rs.length === 3 && ended(rs));
    expect(await runsOf('d')).toEqual([]);

    const graph = (await h.call('GET', '/v1/jobs/graph', '/v1/jobs/graph')).body;
    const status = Object.fromEntries(graph.nodes.map((n: Json) => [n.name, n.status]));
    expect(status).toEqual({ a: 'success', b: 'success', c: 'failure', d: 'fresh' });
    const edge = (from: string, to: string) => graph.edges.find((e: Json) => e.from === from && e.to === to);
    expect(edge('b', 'd').satisfied).toBe(true);
    expect(edge('c', 'd').satisfied).toBe(false);
    const dot = await h.call('GET', '/v1/jobs/graph?format=dot', '/v1/jobs/graph');
    expect(dot.res.headers['content-type']).toContain('text/vnd.graphviz');
    expect(dot.body).toContain('"c" [style="rounded,filled", fillcolor="#ffcdd2"');
    expect(dot.body).toContain('"b" -> "d";');

    // The jobs service restarts: what b contributed to d is in Redis, not in memory.
    await h.service.stop();
    const again = new JobsService({ transport: h.cluster.transport(), redisUrl: h.cluster.redis.url, prefix: h.cluster.prefix, clock: systemClock, logger: silentLogger(), events: { publish: () => undefined } });
    await again.start();
    try {
      const spec = again.storedJob('c')!;
      const { createdAt: _c, updatedAt: _u, generation: _g, revision: _r, ...fixed } = { ...spec, command: { shell: true as const, value: 'true' } };
      expect((await again.putJob(fixed)).ok).toBe(true);
      expect((await again.startRun('c')).ok).toBe(true);
      const dRuns = await waitFor(async () => {
        const r = await again.listRuns('d', { limit: 10, offset: 0 });
        return r.ok && r.value.runs.length === 1 && r.value.runs[0].state === 'SUCCEEDED' ? r.value.runs : undefined;
      }, { timeoutMs: 10_000, message: 'd ran' });
      expect(dRuns[0]).toMatchObject({ cause: 'parent', triggeredBy: { job: 'c' } });
      // d started: its parents' successes are consumed; nothing is satisfied any more.
      const g = await again.graph();
      expect(g.edges.filter((e) => e.to === 'd').map((e) => e.satisfied)).toEqual([false, false]);
      expect(g.nodes.find((n) => n.name === 'd')?.status).toBe('success');
    } finally {
      await again.stop();
    }
  }, 30_000);
});
