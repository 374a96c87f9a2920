/**
 * A job created under the name of a deleted job behaves exactly like a new one: its failed runs are retried
 * (the deleted job's one-shot retry markers and BullMQ retry ids must not swallow them), a retry still pending
 * for the deleted job creates nothing in the new one, and its version starts over. Real Redis, BullMQ, agent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { jobKeys } from '../../services/jobs/job-keys.ts';
import { connectionFromUrl, retryJobId } from '../../services/jobs/trigger-queue.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { startJobsHarness, type JobsHarness, type Json } from './jobs-fixture.ts';

let h: JobsHarness;
/** The service's trigger queue, looked at (and added to) from outside. */
let queue: Queue;
beforeAll(async () => {
  h = await startJobsHarness({ agents: [{ hostname: 'agent-1', resources: 'cpus:4;mem:4096;disk:10000' }] });
  queue = new Queue('triggers', { connection: connectionFromUrl(h.cluster.redis.url), prefix: jobKeys(h.cluster.prefix).bullPrefix });
});
afterAll(async () => {
  await queue?.close();
  await h?.stop();
});

const put = async (job: Json, status = 201): Promise<Json> => {
  const r = await h.call('POST', '/v1/jobs', '/v1/jobs', job);
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
};
const del = async (name: string): Promise<void> => {
  const r = await h.call('DELETE', `/v1/jobs/${name}?force=true`, '/v1/jobs/{name}');
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};
const startRun = async (name: string): Promise<Json> => {
  const r = await h.call('POST', `/v1/jobs/${name}/runs`, '/v1/jobs/{name}/runs', {});
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return r.body;
};
const byId = (runs: Json[]): Json[] => [...runs].sort((a, b) => Number(a.id) - Number(b.id));
const ended = (r: Json): boolean => ['SUCCEEDED', 'FAILED', 'KILLED', 'MISSED', 'SKIPPED'].includes(r.state);
const fast = { initialMs: 100, factor: 1, maxMs: 100 };

describe.concurrent('a job recreated under a deleted name', () => {
  it('retries its failed runs like a new job (the QA scenario: retries 2, delete, recreate with retries 1)', async ({ expect }) => {
    await put({ name: 'rc-flaky', command: 'exit 3', retries: 2, backoff: fast, cpus: 0.1, mem: 16 });
    await startRun('rc-flaky');
    const first = byId(await h.waitForRuns('rc-flaky', (rs) => rs.length === 3 && rs.every(ended)));
    expect(first.map((r) => [r.cause, r.attempt, r.state])).toEqual([['manual', 1, 'FAILED'], ['retry', 2, 'FAILED'], ['retry', 3, 'FAILED']]);

    await del('rc-flaky');
    await put({ name: 'rc-flaky', command: 'exit 3', retries: 1, backoff: fast, cpus: 0.1, mem: 16 });
    const manual = await startRun('rc-flaky');
    const second = byId(await h.waitForRuns('rc-flaky', (rs) => rs.length === 2 && rs.every(ended)));
    expect(second.map((r) => [r.cause, r.attempt, r.state, r.exitCode])).toEqual([['manual', 1, 'FAILED', 3], ['retry', 2, 'FAILED', 3]]);
    expect(second[0].id).toBe(manual.id);
    expect(second[1].retryOf).toBe(manual.id);
    expect(second[1].nextRetryAt).toBeUndefined();
    // Run ids never repeat for a name: the deleted job's runs 1–3 and these are told apart everywhere (task ids, retry ids).
    expect(second.map((r) => Number(r.id)).every((id) => id > 3)).toBe(true);
    const job = (await h.call('GET', '/v1/jobs/rc-flaky', '/v1/jobs/{name}')).body;
    expect(job.stats).toMatchObject({ successCount: 0, errorCount: 2, errorsSinceLastSuccess: 2 });
  }, 20_000);

  it('drops the retry the deleted job had pending, and a late delivery of it creates nothing in the new job', async ({ expect }) => {
    await put({ name: 'rc-pending', command: 'exit 4', retries: 1, backoff: { initialMs: 60_000, factor: 1, maxMs: 60_000 }, cpus: 0.1, mem: 16 });
    await startRun('rc-pending');
    const [failed] = await h.waitForRuns('rc-pending', (rs) => rs.length === 1 && rs[0].state === 'FAILED' && rs[0].nextRetryAt !== undefined);
    const oldRetry = retryJobId('rc-pending', failed.id);
    // The failure is saved before its retry trigger is added: wait for the trigger.
    await waitFor(async () => (await queue.getJobState(oldRetry)) === 'delayed', { timeoutMs: 5000, message: 'retry trigger of the deleted job' });
    await h.call('DELETE', '/v1/jobs/rc-pending', '/v1/jobs/{name}');
    expect(await queue.getJobState(oldRetry)).toBe('unknown');

    await put({ name: 'rc-pending', command: 'exit 5', retries: 1, backoff: fast, cpus: 0.1, mem: 16 });
    const manual = await startRun('rc-pending');
    const runs = byId(await h.waitForRuns('rc-pending', (rs) => rs.length === 2 && rs.every(ended)));
    expect(runs.map((r) => [r.cause, r.attempt, r.state, r.exitCode])).toEqual([['manual', 1, 'FAILED', 5], ['retry', 2, 'FAILED', 5]]);
    expect(runs[1].retryOf).toBe(manual.id);
    expect(runs.map((r) => r.id)).not.toContain(failed.id);

    // The deleted job's retry delivered anyway (a removal fails while a worker holds the trigger): it names a
    // run the new job does not have, so it creates nothing.
    const message = { kind: 'retry', job: 'rc-pending', failedRunId: failed.id, rootRunId: failed.id, attempt: 2, dueAt: Date.now() };
    await queue.add('retry', message, { jobId: oldRetry, removeOnComplete: true });
    await waitFor(async () => (await queue.getJobState(oldRetry)) === 'unknown', { timeoutMs: 5000, message: 'late retry handled' });
    const after = (await h.call('GET', '/v1/jobs/rc-pending/runs', '/v1/jobs/{name}/runs')).body;
    expect(after.runs.map((r: Json) => r.id)).toEqual(runs.map((r) => r.id).reverse());
  }, 20_000);

  it('starts its version over at 1, and only its own writes move it', async ({ expect }) => {
    const v1 = await put({ name: 'rc-version', command: 'true' });
    expect(v1.version).toBe(1);
    await put({ name: 'rc-version-other', command: 'true' });
    expect((await h.call('GET', '/v1/jobs/rc-version', '/v1/jobs/{name}')).body.version).toBe(1);
    const v2 = await put({ name: 'rc-version', command: 'true', description: 'two', version: 1 }, 200);
    expect(v2.version).toBe(2);
    const disabled = (await h.call('POST', '/v1/jobs/rc-version/disable', '/v1/jobs/{name}/disable')).body;
    expect(disabled.version).toBe(3);
    await del('rc-version');
    const again = await put({ name: 'rc-version', command: 'true', version: 0 });
    expect(again.version).toBe(1);
    const stale = await h.call('POST', '/v1/jobs', '/v1/jobs', { name: 'rc-version', command: 'false', version: 3 });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toBe('job rc-version is at version 1, not 3');
  });
});
