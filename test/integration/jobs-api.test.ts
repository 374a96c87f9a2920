/**
 * The native jobs API against a real Redis and cluster: definitions, validation (every bad write names its
 * field and changes nothing), listing and filters, schedule preview, delete with children, run start/kill,
 * and every response checked against the served OpenAPI document.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CronExpressionParser } from 'cron-parser';
import { startJobsHarness, type JobsHarness, type Json } from './jobs-fixture.ts';
import { waitFor } from '../helpers/wait-for.ts';

let h: JobsHarness;
beforeAll(async () => {
  h = await startJobsHarness();
});
afterAll(async () => {
  await h?.stop();
});

const put = (job: Json) => h.call('POST', '/v1/jobs', '/v1/jobs', job);
const get = (name: string) => h.call('GET', `/v1/jobs/${name}`, '/v1/jobs/{name}');
const list = (q = '') => h.call('GET', `/v1/jobs${q}`, '/v1/jobs');

/** Everything a bad write could have changed: definitions, versions and runs. */
async function snapshot(): Promise<string> {
  const all = await list('?limit=1000');
  return JSON.stringify(all.body.jobs.map((j: Json) => [j.name, j.version, j.parents ?? [], j.schedule ?? '', j.stats.successCount]));
}

async function expectRejected(job: Json, status: number, code: string, field: string, mentions: string[]): Promise<void> {
  const before = await snapshot();
  const r = await put(job);
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.res.headers['content-type']).toContain('application/problem+json');
  expect(r.body.code).toBe(code);
  const f = (r.body.errors as Json[]).find((e) => e.field === field);
  expect(f, `field ${field} in ${JSON.stringify(r.body.errors)}`).toBeDefined();
  for (const m of mentions) expect(`${r.body.detail} ${f!.message}`).toContain(m);
  expect(await snapshot()).toBe(before);
}

describe('jobs API: definitions', () => {
  it('creates (201), replaces (200) and shows a job with defaults, status and next run', async () => {
    const created = await put({ name: 'report', command: 'echo report', schedule: '0 6 * * *', timeZone: 'Europe/Berlin', owner: 'ops@example.com', labels: { team: 'data' } });
    expect(created.status).toBe(201);
    expect(created.res.headers.location).toBe('/v1/jobs/report');
    expect(created.body).toMatchObject({ name: 'report', status: 'fresh', cpus: 0.1, mem: 128, retries: 0, concurrencyPolicy: 'allow', missedRunPolicy: 'once', version: 1 });
    const next = CronExpressionParser.parse('0 6 * * *', { currentDate: new Date(), tz: 'Europe/Berlin' }).next().toISOString();
    expect(created.body.nextRunAt).toBe(next);

    const replaced = await put({ ...created.body, description: 'daily report', version: created.body.version });
    expect(replaced.status).toBe(200);
    expect(replaced.body.description).toBe('daily report');
    expect(replaced.body.version).toBe(2);
    expect(replaced.body.createdAt).toBe(created.body.createdAt);

    const stale = await put({ ...created.body, description: 'lost update', version: created.body.version });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('ORR_ERR_JOB_VERSION_CONFLICT');
    expect(stale.body.detail).toBe('job report is at version 2, not 1');
    expect((await get('report')).body.description).toBe('daily report');
  });

  it('rejects bad writes naming the field, and none of them changes anything', async () => {
    await put({ name: 'base', command: 'true' });
    await expectRejected({ name: 'bad1', command: 'true', schedule: '61 * * * *' }, 400, 'ORR_ERR_JOB_SCHEDULE_INVALID', 'body.schedule', ['minute', '61']);
    await expectRejected({ name: 'bad2', command: 'true', schedule: 'R/2026-13-01/PT1H' }, 400, 'ORR_ERR_JOB_SCHEDULE_INVALID', 'body.schedule', ['month 13']);
    await expectRejected({ name: 'bad3', command: 'true', schedule: '0 * * * *', timeZone: 'Mars/Olympus' }, 400, 'ORR_ERR_JOB_SCHEDULE_INVALID', 'body.timeZone', ['Mars/Olympus']);
    await expectRejected({ name: 'bad4', command: 'true', retries: -1 }, 400, 'ORR_ERR_VALIDATION', 'body.retries', ['>= 0']);
    await expectRejected({ name: 'bad5', command: 'true', retires: 3 }, 400, 'ORR_ERR_VALIDATION', 'body.retires', ['not allowed']);
    await expectRejected({ name: 'bad6', command: 'true', parents: ['nope'] }, 422, 'ORR_ERR_JOB_UNKNOWN_PARENT', 'body.parents', ['nope']);
    await expectRejected({ name: 'bad7', command: 'true', schedule: '* * * * *', parents: ['base'] }, 400, 'ORR_ERR_JOB_INVALID', 'body.parents', ['not both']);
    await expectRejected({ name: 'graph', command: 'true' }, 400, 'ORR_ERR_JOB_INVALID', 'body.name', ['reserved']);
    await expectRejected({ name: 'bad8', command: 'true', constraints: [['rack', 'NEAR', 'a']] }, 400, 'ORR_ERR_JOB_INVALID', 'body.constraints[0]', ['EQUALS']);
  });

  it('rejects a cycle a → b → a with 422 naming it, and changes nothing', async () => {
    await put({ name: 'cyc-a', command: 'true' });
    await put({ name: 'cyc-b', command: 'true', parents: ['cyc-a'] });
    await expectRejected({ name: 'cyc-a', command: 'true', parents: ['cyc-b'] }, 422, 'ORR_ERR_JOB_DEPENDENCY_CYCLE', 'body.parents', ['cyc-a → cyc-b → cyc-a']);
    await expectRejected({ name: 'cyc-a', command: 'true', parents: ['cyc-a'] }, 400, 'ORR_ERR_JOB_INVALID', 'body.parents[0]', ['itself']);
    expect((await get('cyc-a')).body.parents).toBeUndefined();
  });

  it('lists by name with filters and paging', async () => {
    for (const n of ['ls-1', 'ls-2', 'ls-3']) await put({ name: n, command: 'true', owner: n === 'ls-2' ? 'Alice <alice@example.com>' : 'bob' });
    await put({ name: 'ls-off', command: 'true', disabled: true });
    const byName = await list('?name=LS-');
    expect(byName.body.jobs.map((j: Json) => j.name)).toEqual(['ls-1', 'ls-2', 'ls-3', 'ls-off']);
    expect((await list('?owner=alice')).body.jobs.map((j: Json) => j.name)).toEqual(['ls-2']);
    expect((await list('?name=ls-&status=disabled')).body.jobs.map((j: Json) => j.name)).toEqual(['ls-off']);
    const page = await list('?name=ls-&limit=2&offset=1');
    expect(page.body).toMatchObject({ total: 4 });
    expect(page.body.jobs.map((j: Json) => j.name)).toEqual(['ls-2', 'ls-3']);
    const bad = await list('?status=green');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query.status');
  });

  it('previews fire times in the job’s zone, across the spring-forward DST change as cron-parser does', async () => {
    await put({ name: 'dst', command: 'true', schedule: '30 2 * * *', timeZone: 'Europe/Berlin' });
    const r = await h.call('GET', '/v1/jobs/dst/schedule?count=400', '/v1/jobs/{name}/schedule');
    expect(r.body.times).toHaveLength(400);
    const it = CronExpressionParser.parse('30 2 * * *', { currentDate: new Date(Date.parse(r.body.times[0].at) - 1), tz: 'Europe/Berlin' });
    expect(r.body.times.map((t: Json) => t.at)).toEqual(r.body.times.map(() => it.next().toISOString()));
    // On the spring-forward day 02:30 does not exist: the run comes at 03:30 CEST, the wall clock says so.
    const springDays = r.body.times.filter((t: Json) => /-03-(2[5-9]|3[01])T03:30:00\+02:00$/.test(t.local));
    expect(springDays.length, 'a 03:30 CEST fire on the last Sunday of March').toBeGreaterThanOrEqual(1);
    const atHalfPastTwo = r.body.times.filter((t: Json) => /T02:30:00\+0[12]:00$/.test(t.local));
    expect(atHalfPastTwo.length + springDays.length).toBe(400);
  });

  it('refuses to delete a job others depend on, naming them; force detaches them', async () => {
    await put({ name: 'del-p', command: 'true' });
    await put({ name: 'del-c1', command: 'true', parents: ['del-p'] });
    await put({ name: 'del-c2', command: 'true', parents: ['del-p'] });
    const refused = await h.call('DELETE', '/v1/jobs/del-p', '/v1/jobs/{name}');
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('ORR_ERR_JOB_HAS_CHILDREN');
    expect(refused.body.detail).toBe('jobs del-c1, del-c2 depend on del-p; delete them first, or use force=true to detach them');
    expect((await get('del-p')).status).toBe(200);
    const forced = await h.call('DELETE', '/v1/jobs/del-p?force=true', '/v1/jobs/{name}');
    expect(forced.body).toEqual({ deleted: 'del-p', detached: ['del-c1', 'del-c2'], killed: [] });
    expect((await get('del-p')).status).toBe(404);
    const detached = (await get('del-c1')).body;
    expect(detached.parents).toBeUndefined();
    // Detaching is a write of the child: its own version moves.
    expect(detached.version).toBe(2);
    await put({ name: 'del-only', command: 'true', parents: ['del-c1'] });
    const one = await h.call('DELETE', '/v1/jobs/del-c1', '/v1/jobs/{name}');
    expect(one.body.detail).toBe('job del-only depends on del-c1; delete it first, or use force=true to detach it');
    expect(h.events.some((e) => e.type === 'job.deleted' && e.data.job === 'del-p')).toBe(true);
  });

  it("keeps every key, BullMQ's included, under the cluster's one hash tag", async () => {
    const keys = await h.cluster.client.keys('*');
    expect(keys.filter((k) => k.includes(':jobs:')).length).toBeGreaterThan(0);
    expect(keys.filter((k) => !k.startsWith(`{${h.cluster.prefix}}:`))).toEqual([]);
  });

  it('answers 404 for unknown jobs and runs', async () => {
    const r = await get('ghost');
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('ORR_ERR_JOB_NOT_FOUND');
    expect((await h.call('POST', '/v1/jobs/ghost/runs', '/v1/jobs/{name}/runs', {})).status).toBe(404);
    expect((await h.call('GET', '/v1/jobs/report/runs/999', '/v1/jobs/{name}/runs/{id}')).body.code).toBe('ORR_ERR_JOB_RUN_NOT_FOUND');
  });
});

describe('jobs API: runs', () => {
  it('starts a run manually, records it, and links its stdout', async () => {
    await put({ name: 'hello', command: ['/bin/sh', '-c', 'echo "hello $1" "$ORRERY_JOB"', 'sh'], cpus: 0.1, mem: 32 });
    const started = await h.call('POST', '/v1/jobs/hello/runs', '/v1/jobs/{name}/runs', { arguments: ['world'] });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ job: 'hello', cause: 'manual', attempt: 1 });
    const runs = await h.waitForRuns('hello', (rs) => rs[0]?.state === 'SUCCEEDED');
    const run = (await h.call('GET', `/v1/jobs/hello/runs/${runs[0].id}`, '/v1/jobs/{name}/runs/{id}')).body;
    expect(run).toMatchObject({ state: 'SUCCEEDED', exitCode: 0, arguments: ['world'] });
    expect(Date.parse(run.finishedAt)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));
    expect(run.links.stdout).toBe(`/v1/tasks/${run.taskId}/files/stdout`);
    const out = await h.cluster.master.readTaskFile(run.taskId, 'stdout', 0, 1000);
    expect(out.ok && out.value.data).toBe('hello world hello\n');
    const job = (await get('hello')).body;
    expect(job.status).toBe('success');
    expect(job.stats).toMatchObject({ successCount: 1, errorCount: 0, duration: { count: 1 } });
    expect(job.stats.duration.p50).toBe(Date.parse(run.finishedAt) - Date.parse(run.startedAt));
    // The list carries the same duration percentiles as the job itself (the UI's p50 column).
    const listed = (await list('?name=hello')).body.jobs.find((j: Json) => j.name === 'hello');
    expect(listed.stats.duration).toEqual(job.stats.duration);
    expect(h.events.filter((e) => e.data.job === 'hello').map((e) => e.type)).toEqual(['job.created', 'run.started', 'run.finished']);
  });

  it('keeps the history to its limit, and says why a run waits (constraints)', async () => {
    await put({ name: 'short-memory', command: 'true', historyLimit: 2, cpus: 0.1, mem: 16 });
    for (let i = 1; i <= 3; i++) {
      await h.call('POST', '/v1/jobs/short-memory/runs', '/v1/jobs/{name}/runs', {});
      await h.waitForRuns('short-memory', (rs) => rs[0]?.id === String(i) && rs[0].state === 'SUCCEEDED');
    }
    const kept = await h.call('GET', '/v1/jobs/short-memory/runs', '/v1/jobs/{name}/runs');
    expect(kept.body.total).toBe(2);
    expect(kept.body.runs.map((r: Json) => r.id)).toEqual(['3', '2']);
    expect((await get('short-memory')).body.stats.successCount).toBe(3);
    // Duration percentiles cover the last succeeded runs, whatever the history keeps.
    const durations = (await get('short-memory')).body.stats.duration;
    expect(durations.count).toBe(3);
    // The list reads the percentiles stored beside the counters, written just after the run's record (run-store.ts
    // saveRun): they reach the same figures a moment later.
    await waitFor(async () => isDeepStrictEqual((await list('?name=short-memory')).body.jobs[0].stats.duration, durations), { timeoutMs: 5000, message: 'the list shows the same duration figures' });

    await put({ name: 'elsewhere', command: 'true', constraints: [['hostname', 'LIKE', 'gpu-.*']], cpus: 0.1, mem: 16 });
    await h.call('POST', '/v1/jobs/elsewhere/runs', '/v1/jobs/{name}/runs', {});
    const [waiting] = await h.waitForRuns('elsewhere', (rs) => rs[0]?.pendingReason?.includes('constraint') === true);
    expect(waiting.state).toBe('QUEUED');
    expect(waiting.pendingReason).toContain('["hostname","LIKE","gpu-.*"]');
    expect((await h.call('POST', '/v1/jobs/elsewhere/kill', '/v1/jobs/{name}/kill')).body.killed).toEqual(['1']);
    const [killed] = await h.waitForRuns('elsewhere', (rs) => rs[0]?.state === 'KILLED');
    expect(killed.reason).toContain('before launch');
  });

  it('kills running runs on request and says which', async () => {
    await put({ name: 'sleeper', command: 'sleep 60', cpus: 0.1, mem: 16, killGracePeriodMs: 500 });
    const noBody = await h.app.inject({ method: 'POST', url: '/v1/jobs/sleeper/runs' });
    expect(noBody.statusCode).toBe(202);
    await h.waitForRuns('sleeper', (rs) => rs[0]?.state === 'RUNNING');
    const k = await h.call('POST', '/v1/jobs/sleeper/kill', '/v1/jobs/{name}/kill');
    expect(k.status).toBe(202);
    expect(k.body.killed).toEqual(['1']);
    const runs = await h.waitForRuns('sleeper', (rs) => rs[0]?.state === 'KILLED');
    expect(runs[0].reason).toContain('killed on request');
    expect((await get('sleeper')).body.status).toBe('failure');
  });
});

