/**
 * The framework API over HTTP (`POST /api/v1/scheduler`) against a real `orrery up` (real Redis, real agent,
 * real processes): a framework in its own process launches tasks and sees their updates; a framework killed and
 * restarted with its id finds its running tasks and the updates it missed; a framework that stays away past its
 * failover timeout loses its tasks; bad calls are refused with problem+json and change nothing; bad credentials
 * are refused.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemClock } from '../../core/clock/clock.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import { AppsService } from '../../services/apps/apps-service.ts';
import { HttpTransport, type Offer } from '../../core/sdk/index.ts';
import type { Event } from '../../core/sdk/protocol.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { startTestOrrery, type TestOrrery } from '../helpers/orrery.ts';
import { startFrameworkProcess, type FrameworkProcess } from '../helpers/framework-process.ts';
import { waitFor } from '../helpers/wait-for.ts';

let redis: TestRedis;
let orrery: TestOrrery;
let dir: string;
const cleanups: Array<() => unknown> = [];

beforeAll(async () => {
  redis = await startTestRedis();
  orrery = await startTestOrrery(redis.url, { schedulerHeartbeatMs: 1000 });
  dir = await mkdtemp(path.join(tmpdir(), 'orrery-sched-'));
}, 60_000);
afterAll(async () => {
  await orrery?.stop();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function framework(args: string[], env?: Record<string, string>, url = orrery.url): FrameworkProcess {
  const p = startFrameworkProcess(url, args, env);
  cleanups.push(() => p.kill());
  return p;
}

async function task(id: string): Promise<{ state: string; exitCode?: number } | undefined> {
  const r = await fetch(`${orrery.url}/v1/tasks/${id}`);
  return r.ok ? ((await r.json()) as { state: string; exitCode?: number }) : undefined;
}

const SCHEDULER = '/api/v1/scheduler';

async function post(body: unknown, headers: Record<string, string> = {}, url = orrery.url): Promise<{ status: number; type: string; json: Record<string, unknown> | undefined }> {
  const r = await fetch(url + SCHEDULER, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, type: r.headers.get('content-type') ?? '', json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/** A framework subscribed from the test process through the SDK's HTTP transport, keeping what it receives. */
async function subscribed(name: string, opts: { id?: string; url?: string; credentials?: { principal: string; secret: string } } = {}) {
  const transport = new HttpTransport({ url: opts.url ?? orrery.url, logger: silentLogger(), credentials: opts.credentials });
  const events: Event[] = [];
  const r = await transport.subscribe({ name, id: opts.id, failoverTimeoutMs: 60_000 }, (e) => events.push(e), () => {});
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  cleanups.push(() => transport.close());
  const offers = (): Offer[] => events.flatMap((e) => (e.type === 'OFFERS' ? e.offers : []));
  return { transport, events, offers, ...r.value };
}

const launch = (fid: string, offer: Offer, taskId: string) => ({
  type: 'ACCEPT',
  framework_id: { value: fid },
  accept: {
    offer_ids: [{ value: offer.id }],
    operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: taskId, task_id: { value: taskId }, agent_id: { value: offer.agentId }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 16 } }], command: { value: 'sleep 30' } }] } }],
  },
});

describe('framework API over HTTP', () => {
  it('a framework in its own process launches tasks and sees their updates; task output is readable through the API', async () => {
    const fw = framework(['--name', 'echo', '--count', '3', '--command', 'echo "hello from $TASK_INDEX"']);
    await fw.waitForLine((l) => l === 'done', 'all three tasks to finish');
    expect(await fw.exited).toBe(0);
    for (const i of [0, 1, 2]) {
      expect(fw.lines).toContain(`update echo-${i} RUNNING`);
      expect(fw.lines).toContain(`update echo-${i} FINISHED exit=0`);
    }
    const out = (await (await fetch(`${orrery.url}/v1/tasks/echo-1/files/stdout`)).json()) as { data: string };
    expect(out.data).toContain('hello from 1');
  }, 60_000);

  it('a framework killed and restarted with its id sees its running tasks and the updates it missed', async () => {
    const idFile = path.join(dir, 'failover.id');
    const release = path.join(dir, 'release');
    const cmd = `if [ "$TASK_INDEX" = 0 ]; then sleep 60; else while [ ! -f ${release} ]; do sleep 0.05; done; fi`;
    const first = framework(['--name', 'fo', '--count', '2', '--command', cmd, '--id-file', idFile, '--failover-timeout', '120']);
    const subscribedLine = await first.waitForLine((l) => l.startsWith('subscribed '), 'subscription');
    await first.waitForLine((l) => l === 'update fo-0 RUNNING', 'fo-0 running');
    await first.waitForLine((l) => l === 'update fo-1 RUNNING', 'fo-1 running');
    await first.kill('SIGKILL');

    // While the framework is away: fo-1 ends, fo-0 keeps running.
    await writeFile(release, '');
    await waitFor(async () => (await task('fo-1'))?.state === 'FINISHED', { timeoutMs: 10_000, message: 'fo-1 to finish' });
    expect((await task('fo-0'))?.state).toBe('RUNNING');

    const second = framework(['--name', 'fo', '--count', '2', '--command', cmd, '--id-file', idFile, '--failover-timeout', '120']);
    await second.waitForLine((l) => l === subscribedLine, 'the same framework id');
    await second.waitForLine((l) => l === 'update fo-1 FINISHED exit=0', 'the missed FINISHED of fo-1');
    await second.waitForLine((l) => l.startsWith('update fo-0 RUNNING'), 'fo-0 still running');
    expect(second.lines.filter((l) => l.startsWith('refused'))).toEqual([]);

    await fetch(`${orrery.url}/v1/tasks/fo-0`, { method: 'DELETE' });
    await second.waitForLine((l) => l.startsWith('update fo-0 KILLED'), 'fo-0 killed');
    expect(await second.exited).toBe(0);
  }, 90_000);

  it('a framework away longer than its failover timeout loses its tasks and is removed', async () => {
    const fw = framework(['--name', 'gone', '--count', '1', '--command', 'sleep 60', '--failover-timeout', '1']);
    const line = await fw.waitForLine((l) => l.startsWith('subscribed '), 'subscription');
    await fw.waitForLine((l) => l === 'update gone-0 RUNNING', 'gone-0 running');
    await fw.kill('SIGKILL');
    await waitFor(async () => (await task('gone-0'))?.state === 'KILLED', { timeoutMs: 15_000, message: 'gone-0 killed after the failover timeout' });
    const frameworkId = line.split(' ')[1];
    const again = await post({ type: 'SUBSCRIBE', subscribe: { framework_info: { name: 'gone', id: { value: frameworkId } } } });
    expect(again.status).toBe(404);
    expect(again.json?.code).toBe('ORR_ERR_FRAMEWORK_NOT_FOUND');
  }, 60_000);

  it('refuses malformed calls with problem+json naming the field', async () => {
    const notJson = await post('{"type": ');
    expect(notJson.status).toBe(400);
    expect(notJson.type).toContain('application/problem+json');

    const unknownType = await post({ type: 'EXPLODE', framework_id: { value: 'x' } });
    expect(unknownType.status).toBe(400);
    expect(JSON.stringify(unknownType.json?.errors)).toContain('body.type');

    const noFrameworkId = await post({ type: 'REVIVE' }, { 'mesos-stream-id': 'abc' });
    expect(noFrameworkId.status).toBe(400);
    expect(noFrameworkId.json?.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body.framework_id' })]));

    const fw = await subscribed('malformed');
    const badTask = await post(
      { type: 'ACCEPT', framework_id: { value: fw.frameworkId }, accept: { offer_ids: [{ value: 'o' }], operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 't', task_id: { value: 't' }, agent_id: { value: 'a' }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 'lots' } }], command: { value: 'true' } }] } }] } },
      { 'mesos-stream-id': fw.streamId },
    );
    expect(badTask.status).toBe(400);
    expect(JSON.stringify(badTask.json?.errors)).toContain('body.accept.operations[0].launch.task_infos[0].resources[0].scalar.value');
  }, 30_000);

  it('refuses calls without a stream id or with a stale one', async () => {
    const first = await subscribed('streams');
    const call = { type: 'REVIVE', framework_id: { value: first.frameworkId } };
    const missing = await post(call);
    expect(missing.status).toBe(400);
    expect(missing.json?.code).toBe('ORR_ERR_SCHEDULER_STREAM_ID_REQUIRED');

    // The same framework subscribes again: the first stream id is now stale.
    const second = await subscribed('streams', { id: first.frameworkId });
    await waitFor(() => first.events.some((e) => e.type === 'ERROR'), { message: 'the replaced stream to be told' });
    const stale = await post(call, { 'mesos-stream-id': first.streamId });
    expect(stale.status).toBe(403);
    expect(stale.json?.code).toBe('ORR_ERR_SCHEDULER_NOT_SUBSCRIBED');
    expect(stale.json?.errors).toEqual([expect.objectContaining({ field: 'headers.mesos-stream-id' })]);
    expect((await post(call, { 'mesos-stream-id': second.streamId })).status).toBe(202);
  }, 30_000);

  it('applies a batch of calls one by one, each with its own answer', async () => {
    const fw = await subscribed('batcher');
    const calls = [
      { type: 'REVIVE', framework_id: { value: fw.frameworkId } },
      { type: 'DECLINE', framework_id: { value: fw.frameworkId }, decline: { offer_ids: [{ value: 'no-such-offer' }] } },
      { type: 'SUPPRESS', framework_id: { value: fw.frameworkId } },
      { type: 'SUBSCRIBE', subscribe: { framework_info: { name: 'batcher' } } },
      { type: 'ACKNOWLEDGE', framework_id: { value: fw.frameworkId }, acknowledge: { agent_id: { value: 'a' }, task_id: { value: 'no-such-task' }, uuid: 'AAAAAAAAAAAAAAAAAAAAAA==' } },
    ];
    const r = await fetch(`${orrery.url}${SCHEDULER}/batch`, { method: 'POST', headers: { 'content-type': 'application/json', 'mesos-stream-id': fw.streamId }, body: JSON.stringify({ calls }) });
    expect(r.status).toBe(200);
    const { results } = (await r.json()) as { results: Array<{ status: number; problem?: { code: string; errors: Array<{ field: string }> } }> };
    expect(results.map((x) => x.status)).toEqual([202, 404, 202, 400, 404]);
    expect(results[1].problem).toMatchObject({ code: 'ORR_ERR_OFFER_NOT_FOUND', errors: [{ field: 'body.calls[1].decline.offer_ids[0]' }] });
    expect(results[3].problem).toMatchObject({ code: 'ORR_ERR_VALIDATION', errors: [{ field: 'body.calls[3].type' }] });
    expect(results[4].problem).toMatchObject({ code: 'ORR_ERR_TASK_NOT_FOUND', errors: [{ field: 'body.calls[4].acknowledge.task_id' }] });
    expect(((await (await fetch(`${orrery.url}/v1/frameworks/${fw.frameworkId}`)).json()) as { suppressed: boolean }).suppressed).toBe(true);

    const noStream = await fetch(`${orrery.url}${SCHEDULER}/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ calls }) });
    expect(noStream.status).toBe(400);
  }, 30_000);

  it("refuses ACCEPT of a rescinded offer or of another framework's offer, and changes nothing", async () => {
    const a = await subscribed('owner');
    const b = await subscribed('thief');
    const offer = await waitFor(() => a.offers()[0], { timeoutMs: 10_000, message: 'an offer for the owner' });

    const stolen = await post(launch(b.frameworkId, offer, 'stolen-1'), { 'mesos-stream-id': b.streamId });
    expect(stolen.status).toBe(404);
    expect(stolen.json?.code).toBe('ORR_ERR_OFFER_NOT_FOUND');
    expect(stolen.json?.errors).toEqual([expect.objectContaining({ field: 'body.accept.offer_ids[0]' })]);
    expect(await task('stolen-1')).toBeUndefined();

    // The offer is still the owner's: suppressing rescinds it, and accepting it afterwards is refused too.
    expect((await post({ type: 'SUPPRESS', framework_id: { value: a.frameworkId } }, { 'mesos-stream-id': a.streamId })).status).toBe(202);
    await waitFor(() => a.events.some((e) => e.type === 'RESCIND' && e.offerId === offer.id), { message: 'the rescind' });
    const late = await post(launch(a.frameworkId, offer, 'late-1'), { 'mesos-stream-id': a.streamId });
    expect(late.status).toBe(404);
    expect(late.json?.code).toBe('ORR_ERR_OFFER_NOT_FOUND');
    expect(await task('late-1')).toBeUndefined();

    // A fresh offer still works for its owner.
    const seen = a.offers().length;
    expect((await post({ type: 'REVIVE', framework_id: { value: a.frameworkId } }, { 'mesos-stream-id': a.streamId })).status).toBe(202);
    const fresh = await waitFor(() => a.offers()[seen], { timeoutMs: 10_000, message: 'a fresh offer' });
    expect((await post(launch(a.frameworkId, fresh, 'owned-1'), { 'mesos-stream-id': a.streamId })).status).toBe(202);
    await waitFor(async () => (await task('owned-1'))?.state === 'RUNNING', { timeoutMs: 10_000, message: 'owned-1 running' });
    await post({ type: 'TEARDOWN', framework_id: { value: a.frameworkId } }, { 'mesos-stream-id': a.streamId });
    await waitFor(async () => (await task('owned-1'))?.state === 'KILLED', { timeoutMs: 10_000, message: 'owned-1 killed by teardown' });
  }, 60_000);
});

describe('a service against a remote master', () => {
  it('the apps service runs its instances through the HTTP transport, unchanged', async () => {
    const apps = new AppsService({
      transport: new HttpTransport({ url: orrery.url, logger: silentLogger() }),
      redisUrl: redis.url,
      prefix: `remote-apps-${process.pid}`,
      clock: systemClock,
      logger: silentLogger(),
      events: { publish: () => {} },
      frameworkName: 'remote-apps',
      options: { reconcileIntervalMs: 200, declineSeconds: 1 },
    });
    await apps.start();
    cleanups.push(() => apps.stop());
    const created = await apps.createApp({ id: '/remote/sleeper', cmd: 'sleep 60', instances: 2, cpus: 0.1, mem: 16 });
    expect(created).toMatchObject({ ok: true });
    const frameworkId = [...orrery.master.frameworks.values()].find((f) => f.info.name === 'remote-apps')?.id;
    expect(frameworkId).toBeDefined();
    await waitFor(
      async () => {
        const r = (await (await fetch(`${orrery.url}/v1/tasks?framework=${frameworkId}&state=RUNNING`)).json()) as { total: number };
        return r.total === 2;
      },
      { timeoutMs: 20_000, message: 'two running instances started by the remote apps framework' },
    );
    await waitFor(() => apps.deployments().length === 0, { timeoutMs: 10_000, message: 'the create deployment to finish' });
    expect(await apps.scaleApp('/remote/sleeper', 0)).toMatchObject({ ok: true });
    await waitFor(
      async () => ((await (await fetch(`${orrery.url}/v1/tasks?framework=${frameworkId}&state=RUNNING`)).json()) as { total: number }).total === 0,
      { timeoutMs: 20_000, message: 'instances killed after scaling to 0' },
    );
  }, 60_000);
});

describe('framework credentials', () => {
  let secured: TestOrrery;
  beforeAll(async () => {
    secured = await startTestOrrery(redis.url, { frameworkCredentials: { env: JSON.stringify({ credentials: [{ principal: 'alice', secret: 'alice-secret-1' }] }) } });
  }, 60_000);
  afterAll(async () => {
    await secured?.stop();
  });

  const subscribe = { type: 'SUBSCRIBE', subscribe: { framework_info: { name: 'auth-test' } } };
  const basic = (p: string, s: string) => ({ authorization: `Basic ${Buffer.from(`${p}:${s}`).toString('base64')}` });

  it('refuses a framework with missing or wrong credentials with 401', async () => {
    for (const headers of [{}, basic('alice', 'wrong-secret'), basic('mallory', 'alice-secret-1')]) {
      const r = await post(subscribe, headers, secured.url);
      expect(r.status).toBe(401);
      expect(r.json?.code).toBe('ORR_ERR_SCHEDULER_CREDENTIALS_REFUSED');
    }
    expect([...secured.master.frameworks.values()].map((f) => f.info.name)).not.toContain('auth-test');

    const fw = framework(['--name', 'intruder', '--count', '1'], { ORRERY_PRINCIPAL: 'alice', ORRERY_SECRET: 'not-it-at-all' }, secured.url);
    await fw.waitForLine((l) => l.startsWith('refused ORR_ERR_SCHEDULER_CREDENTIALS_REFUSED'), 'the refusal');
    expect(await fw.exited).toBe(1);
  }, 30_000);

  it('accepts the right credentials and binds the framework to its principal', async () => {
    const fw = framework(['--name', 'trusted', '--count', '1', '--command', 'true'], { ORRERY_PRINCIPAL: 'alice', ORRERY_SECRET: 'alice-secret-1' }, secured.url);
    await fw.waitForLine((l) => l === 'done', 'the task to finish');
    expect(fw.lines).toContain('update trusted-0 FINISHED exit=0');
  }, 30_000);

  it('does not let an authenticated principal take over a framework it did not register', async () => {
    const builtIn = [...secured.master.frameworks.values()].find((f) => f.info.name === 'orrery-execute')!;
    const r = await post({ type: 'SUBSCRIBE', subscribe: { framework_info: { name: 'orrery-execute', id: { value: builtIn.id } } } }, basic('alice', 'alice-secret-1'), secured.url);
    expect(r.status).toBe(403);
    expect(r.json?.code).toBe('ORR_ERR_SCHEDULER_PRINCIPAL_MISMATCH');
    expect(builtIn.active).toBe(true);
  }, 30_000);
});
