/**
 * The jobs service is down for an hour: when it comes back, each job's missed-run policy decides, and
 * every missed occurrence is on record — `skip` runs none, `once` runs the newest, `all` runs the oldest
 * `missedRunLimit`. "An hour later" is the restarted service's clock, shifted by an hour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CronExpressionParser } from 'cron-parser';
import type { JobsService } from '../../services/jobs/jobs-service.ts';
import { parseJobInput } from '../../services/jobs/job-model.ts';
import type { RunView } from '../../services/jobs/run-model.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { OffsetClock, startJobsHarness, type JobsHarness } from './jobs-fixture.ts';

let h: JobsHarness;
/** The replica running now (tests restart it). */
let current: JobsService;
beforeAll(async () => {
  h = await startJobsHarness();
  current = h.service;
});
afterAll(async () => {
  await h?.stop();
});

async function runs(service: JobsService, job: string): Promise<RunView[]> {
  const r = await service.listRuns(job, { limit: 1000, offset: 0 });
  if (!r.ok) throw new Error(r.error.message);
  return [...r.value.runs].sort((a, b) => Number(a.id) - Number(b.id));
}

describe('a restart of the jobs service', () => {
  it('takes back a run in flight: same framework, the run finishes and is recorded', async () => {
    const spec = parseJobInput({ name: 'in-flight', command: 'sleep 1.5; echo done', cpus: 0.1, mem: 16 }, Date.now());
    if (!spec.ok) throw new Error(JSON.stringify(spec.error));
    expect((await current.putJob(spec.value)).ok).toBe(true);
    expect((await current.startRun('in-flight')).ok).toBe(true);
    await waitFor(async () => (await runs(current, 'in-flight'))[0]?.state === 'RUNNING', { message: 'running' });
    const frameworkId = current.frameworkId;
    await current.stop();
    const { service } = await h.replica('main');
    current = service;
    expect(service.frameworkId).toBe(frameworkId);
    const [run] = await waitFor(async () => {
      const rs = await runs(service, 'in-flight');
      return rs[0]?.state === 'SUCCEEDED' ? rs : undefined;
    }, { message: 'the run finished after the restart' });
    expect(run).toMatchObject({ attempt: 1, exitCode: 0 });
    const job = service.getJob('in-flight');
    expect(job.ok && job.value.stats.successCount).toBe(1);
  }, 15_000);
});

describe('after an hour of downtime', () => {
  it('applies each job’s missed-run policy and records every missed occurrence', async () => {
    const createdAt = Date.now();
    for (const [name, policy] of [['dt-skip', 'skip'], ['dt-once', 'once'], ['dt-all', 'all']] as const) {
      const spec = parseJobInput({ name, command: 'true', schedule: '*/5 * * * *', missedRunPolicy: policy, missedRunLimit: 5, cpus: 0.1, mem: 16 }, createdAt);
      if (!spec.ok) throw new Error(JSON.stringify(spec.error));
      expect((await current.putJob(spec.value)).ok).toBe(true);
    }
    await current.stop();
    // About an hour later, but never within 30 s of a */5 boundary: an occurrence due inside the catch-up grace
    // (10 s) runs on time rather than as a missed one, and one due while the test runs would add a run.
    const phase = (Date.now() + 3600_000) % 300_000;
    const shift = phase < 30_000 ? 30_000 - phase : phase > 270_000 ? 330_000 - phase : 0;
    const clock = new OffsetClock(3600_000 + shift);
    const { service, events } = await h.replica('main', { clock });
    const backAt = clock.now();

    // What cron-parser says was due while the service was away (up to the 10 s catch-up grace).
    const due: number[] = [];
    const it = CronExpressionParser.parse('*/5 * * * *', { currentDate: new Date(createdAt), tz: 'UTC' });
    for (let t = it.next().getTime(); t <= backAt - 10_000; t = it.next().getTime()) due.push(t);
    expect(due.length).toBeGreaterThanOrEqual(11);

    const skip = await runs(service, 'dt-skip');
    expect(skip.map((r) => r.state)).toEqual(due.map(() => 'MISSED'));
    expect(skip.map((r) => Date.parse(r.scheduledAt))).toEqual(due);
    expect(skip[0].reason).toContain('missedRunPolicy skip');

    const once = await waitFor(async () => {
      const rs = await runs(service, 'dt-once');
      return rs.some((r) => r.state === 'SUCCEEDED') ? rs : undefined;
    }, { message: 'dt-once caught up' });
    expect(once.map((r) => Date.parse(r.scheduledAt))).toEqual(due);
    expect(once.slice(0, -1).every((r) => r.state === 'MISSED')).toBe(true);
    expect(once.at(-1)).toMatchObject({ state: 'SUCCEEDED', catchUp: true, cause: 'schedule' });

    const all = await waitFor(async () => {
      const rs = await runs(service, 'dt-all');
      return rs.filter((r) => r.state === 'SUCCEEDED').length === 5 ? rs : undefined;
    }, { message: 'dt-all caught up' });
    expect(all.map((r) => Date.parse(r.scheduledAt))).toEqual(due);
    expect(all.slice(0, 5).every((r) => r.state === 'SUCCEEDED' && r.catchUp)).toBe(true);
    expect(all.slice(5).every((r) => r.state === 'MISSED')).toBe(true);

    expect(events.filter((e) => e.type === 'run.missed').length).toBe(due.length * 3 - 1 - 5);
    // And the schedule goes on from now, not from where it stopped.
    const next = service.getJob('dt-skip');
    expect(next.ok && Date.parse(next.value.nextRunAt!)).toBeGreaterThan(backAt);
  }, 20_000);
});
