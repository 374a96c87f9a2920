/**
 * Two jobs-service replicas against one Redis and one master, both scheduling and both handling triggers:
 * every occurrence of every job runs exactly once (over 100 occurrences), none is lost, both replicas
 * take part, and both list every job's duration percentiles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { connectionFromUrl, occurrenceJobId } from '../../services/jobs/trigger-queue.ts';
import { jobKeys } from '../../services/jobs/job-keys.ts';
import { waitFor } from '../helpers/wait-for.ts';
import type { JobsService } from '../../services/jobs/jobs-service.ts';
import { startJobsHarness, type JobsHarness, type Json, type RecordedEvent } from './jobs-fixture.ts';

let h: JobsHarness;
let second: RecordedEvent[];
let r2: JobsService;
beforeAll(async () => {
  h = await startJobsHarness({ agents: [{ hostname: 'agent-1', resources: 'cpus:8;mem:8192;disk:1000' }] });
  ({ events: second, service: r2 } = await h.replica('r2'));
});
afterAll(async () => {
  await h?.stop();
});

const JOBS = 26;
const OCCURRENCES = 4;

describe('two replicas', () => {
  it('run each occurrence exactly once', async () => {
    const start = Math.ceil((Date.now() + 1500) / 1000) * 1000;
    const names = Array.from({ length: JOBS }, (_, i) => `rep-${i}`);
    for (const name of names) {
      const r = await h.call('POST', '/v1/jobs', '/v1/jobs', { name, command: 'true', schedule: `R${OCCURRENCES}/${new Date(start).toISOString()}/PT1S`, cpus: 0.05, mem: 8 });
      expect(r.status).toBe(201);
    }
    const all: Json[][] = [];
    for (const name of names) all.push(await h.waitForRuns(name, (rs) => rs.length >= OCCURRENCES && rs.every((r) => r.state === 'SUCCEEDED'), 15_000));
    const expected = Array.from({ length: OCCURRENCES }, (_, k) => start + k * 1000);
    for (const runs of all) {
      const slots = runs.map((r) => Date.parse(r.scheduledAt)).sort((a, b) => a - b);
      expect(slots).toEqual(expected);
      expect(new Set(runs.map((r) => r.taskId)).size).toBe(OCCURRENCES);
    }
    const total = all.reduce((n, rs) => n + rs.length, 0);
    expect(total).toBe(JOBS * OCCURRENCES);
    expect(total).toBeGreaterThanOrEqual(100);
    // Both replicas handled triggers; together they started each run once.
    const started = (events: RecordedEvent[]) => events.filter((e) => e.type === 'run.started' && String(e.data.job).startsWith('rep-')).length;
    expect(started(h.events)).toBeGreaterThan(0);
    expect(started(second)).toBeGreaterThan(0);
    expect(started(h.events) + started(second)).toBe(total);
    // The master launched exactly one task per run.
    const tasks = [...h.cluster.master.tasks.all()].filter((t) => t.info.taskId.startsWith('jobs:rep-'));
    expect(tasks.length).toBe(total);
    // Both replicas' lists carry every job's duration percentiles over all its runs, whichever replica ran them.
    await waitFor(
      async () => {
        const here = (await h.call('GET', '/v1/jobs?name=rep-&limit=100', '/v1/jobs')).body.jobs as Json[];
        const there = r2.listJobs({ name: 'rep-', limit: 100, offset: 0 }).jobs;
        return [here, there].every((l) => l.length === JOBS && l.every((j) => j.stats.duration?.count === OCCURRENCES));
      },
      { timeoutMs: 5000, message: 'duration percentiles on both replicas' },
    );

    // A late duplicate of every trigger (BullMQ removed the completed ones, so the ids are free again):
    // both replicas' workers handle them, and the claims in Redis turn every one away.
    const queue = new Queue('triggers', { connection: connectionFromUrl(h.cluster.redis.url), prefix: jobKeys(h.cluster.prefix).bullPrefix });
    try {
      // The generation the triggers were added with (internal: the API's `version` is the job's own revision).
      const generation = h.service.storedJob('rep-0')!.generation;
      const dupes = names.flatMap((job) => expected.map((at) => ({ name: 'occurrence', data: { kind: 'occurrence', job, at, generation }, opts: { jobId: occurrenceJobId(job, generation, at), removeOnComplete: true } })));
      await queue.addBulk(dupes.filter((d) => d.data.job === 'rep-0'));
      await waitFor(async () => {
        const c = await queue.getJobCounts('wait', 'active', 'delayed', 'failed');
        return c.wait + c.active + c.failed === 0 && c.delayed <= JOBS;
      }, { timeoutMs: 5000, message: 'duplicates handled' });
      const again = (await h.call('GET', '/v1/jobs/rep-0/runs?limit=1000', '/v1/jobs/{name}/runs')).body.runs;
      expect(again.length).toBe(OCCURRENCES);
    } finally {
      await queue.close();
    }
  }, 30_000);
});
