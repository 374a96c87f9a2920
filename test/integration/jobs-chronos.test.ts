/**
 * The Chronos-compatible routes with Chronos' documented job JSON (services.md §2.3, §2.14): accepted
 * unchanged under `/scheduler/…` and `/v1/scheduler/…`, returned with Chronos' counters, and behaving as
 * the same jobs defined natively (schedule, dependency, manual start, kill, graph, delete).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatInstant } from '../../services/jobs/schedule.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { startJobsHarness, type JobsHarness, type Json } from './jobs-fixture.ts';

let h: JobsHarness;
beforeAll(async () => {
  h = await startJobsHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** Chronos' documented scheduled job, verbatim. */
const NIGHTLY = {
  name: 'nightly-export',
  command: '/opt/export.sh',
  schedule: 'R/2018-09-01T02:00:00.000-07:00/P1D',
  scheduleTimeZone: 'America/Los_Angeles',
  retries: 2,
  owner: 'ops@example.com',
  cpus: 0.5,
  mem: 512,
  concurrent: false,
  maxCompletionTime: 3600,
  environmentVariables: [{ name: 'ENV', value: 'prod' }],
};

describe('Chronos compatibility', () => {
  it('accepts the documented jobs and gives them back as Chronos JSON with counters', async () => {
    const created = await h.call('POST', '/scheduler/iso8601', '/scheduler/iso8601', NIGHTLY);
    expect(created.status).toBe(204);
    const dependent = { ...NIGHTLY, name: 'nightly-report', schedule: undefined, scheduleTimeZone: undefined, parents: ['nightly-export'] };
    expect((await h.call('POST', '/v1/scheduler/dependency', '/v1/scheduler/dependency', dependent)).status).toBe(204);

    const jobs = (await h.call('GET', '/v1/scheduler/jobs', '/v1/scheduler/jobs')).body as Json[];
    const nightly = jobs.find((j) => j.name === 'nightly-export')!;
    const { schedule: _s, ...asSent } = NIGHTLY;
    expect(nightly).toMatchObject({ ...asSent, async: false, shell: true, disk: 256, successCount: 0, errorCount: 0, lastSuccess: '', lastError: '' });
    // Chronos reads the start's wall clock in scheduleTimeZone (withZoneRetainFields): 02:00 Los Angeles, every day.
    expect(nightly.schedule).toBe('R/2018-09-01T02:00:00.000/P1D');
    const preview = (await h.call('GET', '/v1/jobs/nightly-export/schedule?count=3', '/v1/jobs/{name}/schedule')).body;
    for (const t of preview.times) expect(t.local).toMatch(/T02:00:00-0[78]:00$/);
    expect(jobs.find((j) => j.name === 'nightly-report')).toMatchObject({ parents: ['nightly-export'], command: '/opt/export.sh' });
    const native = (await h.call('GET', '/v1/jobs/nightly-export', '/v1/jobs/{name}')).body;
    expect(native).toMatchObject({ concurrencyPolicy: 'forbid', retries: 2, timeoutMs: 3_600_000, env: { ENV: 'prod' }, children: ['nightly-report'] });
  });

  it('refuses what Chronos would silently mishandle, naming the field', async () => {
    const unknown = await h.call('POST', '/scheduler/iso8601', '/scheduler/iso8601', { ...NIGHTLY, name: 'typo', sheduleTimeZone: 'UTC' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('body.sheduleTimeZone');
    const asyncJob = await h.call('POST', '/scheduler/iso8601', '/scheduler/iso8601', { ...NIGHTLY, name: 'async', async: true });
    expect(asyncJob.body.errors[0].field).toBe('body.async');
    const orphan = await h.call('POST', '/scheduler/dependency', '/scheduler/dependency', { name: 'orphan', command: 'true', parents: ['missing'] });
    expect(orphan.status).toBe(422);
    expect(orphan.body.code).toBe('ORR_ERR_JOB_UNKNOWN_PARENT');
    const badTz = await h.call('POST', '/scheduler/iso8601', '/scheduler/iso8601', { ...NIGHTLY, name: 'bad-tz', scheduleTimeZone: 'PST8PDT/Nowhere' });
    expect(badTz.body.errors[0].field).toBe('body.scheduleTimeZone');
    const names = ((await h.call('GET', '/scheduler/jobs', '/scheduler/jobs')).body as Json[]).map((j) => j.name);
    expect(names).not.toContain('typo');
    expect(names).not.toContain('orphan');
  });

  it('runs a Chronos ISO job on schedule and its dependent job after it; manual start, kill, graph, delete', async () => {
    const start = Math.ceil((Date.now() + 1500) / 1000) * 1000;
    // Written as Chronos users do: the wall clock in scheduleTimeZone, with an offset Chronos ignores.
    const wall = formatInstant(start, 'Europe/Berlin').replace(/[+-]\d{2}:\d{2}$/, 'Z');
    const tick = { name: 'chronos-tick', command: 'echo "$ENV"', schedule: `R2/${wall}/PT1S`, scheduleTimeZone: 'Europe/Berlin', environmentVariables: [{ name: 'ENV', value: 'prod' }], cpus: 0.1, mem: 16 };
    expect((await h.call('POST', '/v1/scheduler/iso8601', '/v1/scheduler/iso8601', tick)).status).toBe(204);
    expect((await h.call('POST', '/scheduler/dependency', '/scheduler/dependency', { name: 'chronos-child', command: 'echo child', parents: ['chronos-tick'], cpus: 0.1, mem: 16 })).status).toBe(204);

    const ticks = await h.waitForRuns('chronos-tick', (rs) => rs.length === 2 && rs.every((r) => r.state === 'SUCCEEDED'));
    expect(ticks.map((r) => Date.parse(r.scheduledAt)).sort()).toEqual([start, start + 1000]);
    // The second tick succeeds before or after the first child run started: one child run, or two. Settled when every
    // child run succeeded, the second tick's success was consumed (a second run exists, or the first run started after
    // it) and no parent success waits to be consumed (the graph's edge is not satisfied).
    const tick2Finished = Math.max(...ticks.map((r) => Date.parse(r.finishedAt)));
    const children = await waitFor(async () => {
      const rs = await h.waitForRuns('chronos-child', (all) => all.length >= 1 && all.every((r) => r.state === 'SUCCEEDED'));
      const graph = (await h.call('GET', '/v1/jobs/graph', '/v1/jobs/graph')).body as { edges: Array<{ from: string; to: string; satisfied: boolean }> };
      const pending = graph.edges.some((e) => e.from === 'chronos-tick' && e.to === 'chronos-child' && e.satisfied);
      const consumed = rs.length === 2 || Date.parse(rs[0].startedAt) >= tick2Finished;
      return !pending && consumed ? rs : undefined;
    }, { timeoutMs: 10_000, message: 'the child runs to settle' });
    expect(children.length).toBeLessThanOrEqual(2);
    expect(children[0]).toMatchObject({ cause: 'parent', triggeredBy: { job: 'chronos-tick' } });
    const after = ((await h.call('GET', '/scheduler/jobs', '/scheduler/jobs')).body as Json[]).find((j) => j.name === 'chronos-tick')!;
    expect(after.successCount).toBe(2);
    expect(Date.parse(after.lastSuccess)).toBeGreaterThanOrEqual(start);

    expect((await h.call('PUT', '/scheduler/job/chronos-child?arguments=--full', '/scheduler/job/{name}')).status).toBe(204);
    const manual = await h.waitForRuns('chronos-child', (rs) => rs.some((r) => r.cause === 'manual' && r.state === 'SUCCEEDED'));
    expect(manual.find((r) => r.cause === 'manual')!.arguments).toEqual(['--full']);

    await h.call('POST', '/v1/scheduler/dependency', '/v1/scheduler/dependency', { name: 'chronos-child', command: 'sleep 60', parents: ['chronos-tick'], cpus: 0.1, mem: 16 });
    expect((await h.call('PUT', '/v1/scheduler/job/chronos-child', '/v1/scheduler/job/{name}')).status).toBe(204);
    await h.waitForRuns('chronos-child', (rs) => rs[0].state === 'RUNNING');
    expect((await h.call('DELETE', '/scheduler/task/kill/chronos-child', '/scheduler/task/kill/{name}')).status).toBe(204);
    await h.waitForRuns('chronos-child', (rs) => rs[0].state === 'KILLED');

    const dot = await h.call('GET', '/scheduler/graph/dot', '/scheduler/graph/dot');
    expect(dot.body).toContain('"chronos-tick" -> "chronos-child";');
    expect((await h.call('DELETE', '/v1/scheduler/job/chronos-tick', '/v1/scheduler/job/{name}')).status).toBe(409);
    expect((await h.call('DELETE', '/v1/scheduler/job/chronos-child', '/v1/scheduler/job/{name}')).status).toBe(204);
    expect((await h.call('DELETE', '/scheduler/job/chronos-tick', '/scheduler/job/{name}')).status).toBe(204);
    expect((await h.call('GET', '/scheduler/job/chronos-tick', '/scheduler/job/{name}')).status).toBe(404);
  }, 20_000);
});
