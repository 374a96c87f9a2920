/**
 * Triggers with real time, real BullMQ, real processes: a cron job every minute and an ISO `R/…/PT2S` job
 * fire on time and run; concurrency policies forbid/replace/allow; timeouts kill and retries back off;
 * the lateness limit records MISSED runs. The service's clock is the system clock shifted where a test
 * needs a particular "now" (0.7 s before a minute), so nothing waits a minute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CronExpressionParser } from 'cron-parser';
import { OffsetClock, startJobsHarness, type JobsHarness, type Json } from './jobs-fixture.ts';

const clock = new OffsetClock();
let h: JobsHarness;
beforeAll(async () => {
  h = await startJobsHarness({ clock, agents: [{ hostname: 'agent-1', resources: 'cpus:4;mem:4096;disk:10000' }] });
});
afterAll(async () => {
  await h?.stop();
});

const put = async (job: Json): Promise<Json> => {
  const r = await h.call('POST', '/v1/jobs', '/v1/jobs', job);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
};
const ms = (iso: string): number => Date.parse(iso);
const byId = (runs: Json[]): Json[] => [...runs].sort((a, b) => Number(a.id) - Number(b.id));

describe('triggers that move the clock', () => {
  it('fires a `* * * * *` cron job at the minute and runs its task', async () => {
    // Make "now" 0.7 s before a minute boundary, so the first occurrence is 0.7 s away in real time.
    clock.offset = 0;
    clock.offset = 60_000 - 700 - (clock.now() % 60_000);
    const due = CronExpressionParser.parse('* * * * *', { currentDate: new Date(clock.now()), tz: 'UTC' }).next().getTime();
    await put({ name: 'every-minute', command: 'echo tick', schedule: '* * * * *', cpus: 0.1, mem: 16 });
    const [run] = await h.waitForRuns('every-minute', (rs) => rs[0]?.state === 'SUCCEEDED', 5000);
    expect(ms(run.scheduledAt)).toBe(due);
    expect(run).toMatchObject({ cause: 'schedule', attempt: 1, exitCode: 0 });
    // Generous bounds: this box is shared; bench/jobs.ts measures the real lateness.
    expect(ms(run.launchedAt) - due).toBeLessThan(1000);
    expect(ms(run.startedAt) - due).toBeLessThan(2000);
    const job = (await h.call('GET', '/v1/jobs/every-minute', '/v1/jobs/{name}')).body;
    expect(job).toMatchObject({ status: 'success', stats: { successCount: 1, errorCount: 0 } });
    expect(ms(job.nextRunAt)).toBe(due + 60_000);
    await h.call('POST', '/v1/jobs/every-minute/disable', '/v1/jobs/{name}/disable');
    clock.offset = 0;
  }, 15_000);

  it('records MISSED when a trigger is handled later than its lateness limit', async () => {
    // Late trigger: the clock jumps 3 s ahead just before the occurrence, so it is handled 3 s late.
    const at = Math.ceil((clock.now() + 1500) / 1000) * 1000;
    await put({ name: 'late', command: 'true', schedule: `R1/${new Date(at).toISOString()}/PT1H`, latenessLimitMs: 1000 });
    clock.offset += 3000;
    const [late] = await h.waitForRuns('late', (rs) => rs.length === 1, 5000);
    clock.offset -= 3000;
    expect(late.state).toBe('MISSED');
    expect(late.reason).toMatch(/missed: [3-9]\.\d s late, over the lateness limit of 1\.0 s/);
    expect(h.events.some((e) => e.type === 'run.missed' && e.data.job === 'late')).toBe(true);
  }, 15_000);
});

// Independent jobs, real time: run side by side to keep the file short.
describe.concurrent('triggers', () => {
  it('fires an R/…/PT2S job every two seconds on time, and history and stats follow', async ({ expect }) => {
    const start = Math.ceil((clock.now() + 500) / 1000) * 1000;
    await put({ name: 'pt2s', command: 'echo $ORRERY_RUN_ID', schedule: `R/${new Date(start).toISOString()}/PT2S`, cpus: 0.1, mem: 16 });
    const runs = byId(await h.waitForRuns('pt2s', (rs) => rs.filter((r) => r.state === 'SUCCEEDED').length >= 3, 10_000)).slice(0, 3);
    expect(runs.map((r) => ms(r.scheduledAt))).toEqual([start, start + 2000, start + 4000]);
    for (const r of runs) {
      expect(r.state).toBe('SUCCEEDED');
      expect(ms(r.launchedAt) - ms(r.scheduledAt)).toBeLessThan(1000);
    }
    const job = (await h.call('GET', '/v1/jobs/pt2s', '/v1/jobs/{name}')).body;
    expect(job.stats.successCount).toBeGreaterThanOrEqual(3);
    expect(job.stats.startDelay.count).toBeGreaterThanOrEqual(3);
    await h.call('POST', '/v1/jobs/pt2s/disable', '/v1/jobs/{name}/disable');
  }, 15_000);

  it('forbid skips an occurrence while a run is active, replace kills it, allow runs both', async ({ expect }) => {
    const start = Math.ceil((clock.now() + 500) / 1000) * 1000;
    const schedule = `R4/${new Date(start).toISOString()}/PT1S`;
    for (const policy of ['forbid', 'replace', 'allow']) {
      await put({ name: `cc-${policy}`, command: 'sleep 30', schedule, concurrencyPolicy: policy, cpus: 0.1, mem: 16, killGracePeriodMs: 200 });
    }
    const done = (rs: Json[]) => rs.length === 4 && rs.some((r) => ms(r.scheduledAt) === start + 3000);
    const forbid = byId(await h.waitForRuns('cc-forbid', done, 8000));
    expect(forbid.map((r) => r.state)).toEqual(['RUNNING', 'SKIPPED', 'SKIPPED', 'SKIPPED']);
    expect(forbid[1].reason).toContain('run 1 still active (concurrencyPolicy forbid)');
    expect(h.events.some((e) => e.type === 'run.skipped' && e.data.job === 'cc-forbid')).toBe(true);

    const replace = byId(await h.waitForRuns('cc-replace', (rs) => done(rs) && byId(rs).map((r) => r.state).join() === 'KILLED,KILLED,KILLED,RUNNING', 8000));
    expect(replace.map((r) => r.state)).toEqual(['KILLED', 'KILLED', 'KILLED', 'RUNNING']);
    expect(replace[0].reason).toContain('replaced by run 2');

    const allow = byId(await h.waitForRuns('cc-allow', (rs) => done(rs) && rs.every((r) => r.state === 'RUNNING'), 8000));
    expect(new Set(allow.map((r) => r.taskId)).size).toBe(4);
    for (const p of ['forbid', 'replace', 'allow']) await h.call('DELETE', `/v1/jobs/cc-${p}`, '/v1/jobs/{name}');
  }, 15_000);

  it('kills a run at its timeout (FAILED, timeout reason) and retries with backoff up to the limit', async ({ expect }) => {
    await put({ name: 'slow', command: 'sleep 30', timeoutMs: 400, killGracePeriodMs: 100, retries: 2, backoff: { initialMs: 300, factor: 2, maxMs: 10_000 }, cpus: 0.1, mem: 16 });
    await h.call('POST', '/v1/jobs/slow/runs', '/v1/jobs/{name}/runs', {});
    const runs = byId(await h.waitForRuns('slow', (rs) => rs.length === 3 && rs.every((r) => r.state === 'FAILED'), 10_000));
    expect(runs.map((r) => [r.cause, r.attempt])).toEqual([['manual', 1], ['retry', 2], ['retry', 3]]);
    for (const r of runs) {
      expect(r.reason).toBe('timed out after 400 ms');
      expect(ms(r.finishedAt) - ms(r.startedAt)).toBeGreaterThanOrEqual(400);
    }
    expect(runs[1].retryOf).toBe(runs[0].id);
    expect(runs[2].retryOf).toBe(runs[0].id);
    // Backoff 300 ms, then 600 ms, from each failure to the next attempt being queued.
    expect(ms(runs[1].queuedAt) - ms(runs[0].finishedAt)).toBeGreaterThanOrEqual(300);
    expect(ms(runs[2].queuedAt) - ms(runs[1].finishedAt)).toBeGreaterThanOrEqual(600);
    expect(runs[2].nextRetryAt).toBeUndefined();
    const job = (await h.call('GET', '/v1/jobs/slow', '/v1/jobs/{name}')).body;
    expect(job).toMatchObject({ status: 'failure', stats: { errorCount: 3, errorsSinceLastSuccess: 3 } });
  }, 15_000);

  it('records MISSED when a run cannot start within its lateness limit', async ({ expect }) => {
    // Cannot start: no agent has 64 cpus, so the run waits for an offer until the limit passes.
    const start = Math.ceil((clock.now() + 500) / 1000) * 1000;
    await put({ name: 'too-big', command: 'true', schedule: `R1/${new Date(start).toISOString()}/PT1H`, cpus: 64, mem: 16, latenessLimitMs: 300 });
    const [big] = await h.waitForRuns('too-big', (rs) => rs[0]?.state === 'MISSED', 5000);
    expect(big.reason).toContain('lateness limit');
    expect(big.reason).toMatch(/no offer fits|waiting for an offer/);
  }, 15_000);
});
