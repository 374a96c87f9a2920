/**
 * Supervision on a real cluster: an unhealthy instance is replaced before it is killed; when many fail at once
 * health kills pause (a flapping checker cannot take the app down); a lost task is replaced; a restarted service
 * re-subscribes as itself, keeps its tasks and learns what happened while it was away.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.ts';
import { AppsHarness, enc, type Json } from './apps-harness.ts';

let h: AppsHarness;
let dir: string;

beforeAll(async () => {
  h = await AppsHarness.start();
  dir = await mkdtemp(path.join(tmpdir(), 'orrery-apps-sick-'));
}, 30_000);

afterAll(async () => {
  await h?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Healthy unless a file named after the instance's port exists: the test makes chosen instances sick. */
function sickCheck(): Json {
  return { protocol: 'COMMAND', command: `test ! -e ${dir}/sick-$PORT0`, gracePeriodSeconds: 0.3, intervalSeconds: 0.2, timeoutSeconds: 1, maxConsecutiveFailures: 2 };
}

async function create(id: string, instances: number, extra: Json = {}): Promise<void> {
  const r = await h.call('POST', '/v1/apps', '/v1/apps', { id, cmd: 'exec sleep 600', cpus: 0.05, mem: 16, ports: [{}], instances, healthChecks: [sickCheck()], ...extra });
  expect(r.status).toBe(201);
  await h.waitSteady(id, instances);
}

describe('apps: supervision', () => {
  it('replaces an unhealthy instance first and kills it only once the replacement is healthy', async () => {
    const id = '/sup/one-sick';
    await create(id, 3);
    const [sick] = await h.tasks(id);
    // The agent runs the check (the master's record holds the health its updates carried) and only reports:
    // replacing and killing is the service's decision, within its rate limit.
    const launched = h.cluster.master.tasks.get(sick.id)!;
    expect(launched.info.healthCheck).toMatchObject({ type: 'COMMAND', consecutiveFailures: 2, killOnFailure: false });
    expect(launched.healthy).toBe(true);
    let minHealthy = Infinity;
    const timer = setInterval(() => {
      const a = h.service.getApp(id);
      if (a.ok) minHealthy = Math.min(minHealthy, (a.value.counts as Json).healthy);
    }, 20);
    await writeFile(path.join(dir, `sick-${sick.ports[0]}`), '');

    await waitFor(async () => !(await h.tasks(id)).some((t) => t.id === sick.id), { timeoutMs: 10_000, message: 'the sick instance gone' });
    // Its port may be given to a later task: that one must not be born sick.
    await rm(path.join(dir, `sick-${sick.ports[0]}`));
    await h.waitSteady(id, 3);
    clearInterval(timer);
    // Never fewer healthy than the two that stayed well: the sick one went only after its replacement passed.
    expect(minHealthy).toBeGreaterThanOrEqual(2);
    const kill = h.eventsOf('instance.unhealthy_kill', id).find((e) => e.data.taskId === sick.id);
    expect(kill).toBeDefined();
    const replacementOf = (await h.tasks(id)).find((t) => Date.parse(t.stagedAt) > Date.parse(sick.stagedAt));
    expect(replacementOf).toBeDefined();
    const replacementUp = h.eventsOf('instance.health_changed', id).find((e) => e.data.taskId === replacementOf!.id && e.data.healthy === true);
    expect(replacementUp!.at).toBeLessThanOrEqual(kill!.at);
    const app = await h.getApp(id);
    expect(app.lastTaskFailure).toMatchObject({ taskId: sick.id, state: 'KILLED' });
    expect(app.lastTaskFailure.message).toMatch(/COMMAND check failed/);
  }, 30_000);

  it('pauses health kills while most instances fail at once, and recovers without health kills when they pass again', async () => {
    const id = '/sup/flap';
    await create(id, 3);
    const tasks = await h.tasks(id);
    const flapping = tasks.slice(0, 2);
    let minHealthy = Infinity;
    const timer = setInterval(() => {
      const a = h.service.getApp(id);
      if (a.ok) minHealthy = Math.min(minHealthy, (a.value.counts as Json).healthy);
    }, 20);
    for (const t of flapping) await writeFile(path.join(dir, `sick-${t.ports[0]}`), '');
    const paused = await waitFor(async () => {
      const r = await h.call('GET', `/v1/apps/${enc(id)}/pending`, '/v1/apps/{id}/pending');
      return r.body.healthKillsPaused ? r.body : undefined;
    }, { timeoutMs: 10_000, message: 'health kills paused' });
    expect(paused.healthKillsPaused).toMatch(/2 of 3 instances unhealthy/);
    await new Promise((r) => setTimeout(r, 800)); // several check intervals with the flap going on
    expect(h.eventsOf('instance.unhealthy_kill', id)).toEqual([]);
    // Replacements were started meanwhile (within maximumOverCapacity), so the app kept serving.
    expect((await h.getApp(id)).counts.healthy).toBeGreaterThanOrEqual(2);
    for (const t of flapping) await rm(path.join(dir, `sick-${t.ports[0]}`));
    await h.waitSteady(id, 3, { timeoutMs: 15_000 });
    clearInterval(timer);
    expect(minHealthy).toBeGreaterThanOrEqual(1);
    expect(h.eventsOf('instance.unhealthy_kill', id)).toEqual([]);
    // The pause outlasts the fault by one detection window, then lifts.
    await waitFor(async () => (await h.call('GET', `/v1/apps/${enc(id)}/pending`, '/v1/apps/{id}/pending')).body.healthKillsPaused === undefined, { timeoutMs: 5000, message: 'pause lifted' });
    expect(h.eventsOf('instance.unhealthy_kill', id)).toEqual([]);
  }, 30_000);

  it('kills an instance that never passes its checks as a failed launch: backoff, no pause, no pile-up, deployment fails', async () => {
    // The QA case: 1 instance whose HTTP check never passes (nothing listens on the port). It used to be replaced
    // first, then both kept running with kills "paused" (2 of 1 unhealthy) and the app DEPLOYING forever.
    const id = '/sup/never-healthy';
    const check = { protocol: 'HTTP', portIndex: 0, gracePeriodSeconds: 0.3, intervalSeconds: 0.2, timeoutSeconds: 1, maxConsecutiveFailures: 2 };
    const created = await h.call('POST', '/v1/apps', '/v1/apps', {
      id, cmd: 'exec sleep 600', cpus: 0.05, mem: 16, ports: [{}], instances: 1, healthChecks: [check],
      backoffSeconds: 0.5, backoffFactor: 2, maxLaunchDelaySeconds: 4, progressDeadlineSeconds: 6,
    });
    expect(created.status).toBe(201);
    let maxLive = 0;
    let paused: string | undefined;
    const timer = setInterval(() => {
      const t = h.service.tasks(id);
      if (t.ok) maxLive = Math.max(maxLive, t.value.filter((x) => ['STAGING', 'STARTING', 'RUNNING', 'KILLING'].includes(String(x.state))).length);
      const p = h.service.pending(id);
      if (p.ok && p.value.healthKillsPaused) paused = String(p.value.healthKillsPaused);
    }, 20);
    try {
      const kills = await waitFor(() => {
        const k = h.eventsOf('instance.unhealthy_kill', id);
        return k.length >= 2 ? k : undefined;
      }, { timeoutMs: 10_000, message: 'two failed launches killed' });
      expect(String(kills[0].data.reason)).toMatch(/HTTP check failed 2 times and never passed/);
      const app = await waitFor(async () => {
        const a = await h.getApp(id);
        return a.lastTaskFailure?.state === 'KILLED' && a.backoff.failures >= 2 ? a : undefined;
      }, { timeoutMs: 5000, message: 'the failures counted for the backoff' });
      expect(app.lastTaskFailure.message).toMatch(/never passed/);
      const tasks = await h.tasks(id);
      expect(tasks.filter((t) => t.killReason === 'NEVER_HEALTHY' || t.state === 'RUNNING' || t.state === 'STAGING').length).toBeLessThanOrEqual(2);

      // Bounded: the deployment fails on its deadline and says why; the app says DELAYED, not DEPLOYING.
      const failed = await waitFor(async () => {
        const d = await h.call('GET', `/v1/deployments/${created.body.deploymentId}`, '/v1/deployments/{id}');
        return d.body.status === 'FAILED' ? d.body : undefined;
      }, { timeoutMs: 12_000, message: 'the deployment failed on its deadline' });
      expect(failed.reason).toMatch(/backoff|stable/);
      expect(failed.reason).toMatch(/never passed/);
      const after = await h.getApp(id);
      expect(after.status).toBe('DELAYED');
      expect(after.counts).toMatchObject({ healthy: 0, healthChecks: 1 });
    } finally {
      clearInterval(timer);
    }
    // Never more tasks than 1 + the one the upgrade strategy allows above it; never a health-kill pause.
    expect(maxLive).toBeLessThanOrEqual(2);
    expect(paused).toBeUndefined();
    expect((await h.call('DELETE', `/v1/apps/${enc(id)}`, '/v1/apps/{id}')).status).toBe(200);
  }, 40_000);

  it('does not let a crash-looping app without health checks succeed its deployment', async () => {
    const id = '/sup/crash-no-checks';
    // RUNNING for a moment now and then: once looked healthy enough for SUCCEEDED.
    const created = await h.call('POST', '/v1/apps', '/v1/apps', { id, cmd: 'sleep 0.3; exit 1', cpus: 0.05, mem: 16, instances: 1, backoffSeconds: 0.2, backoffFactor: 1, progressDeadlineSeconds: 4 });
    expect(created.status).toBe(201);
    const d = await waitFor(async () => {
      const r = await h.call('GET', `/v1/deployments/${created.body.deploymentId}`, '/v1/deployments/{id}');
      return r.body.status !== 'RUNNING' ? r.body : undefined;
    }, { timeoutMs: 15_000, message: 'the deployment ended' });
    expect(d.status).toBe('FAILED');
    expect(d.progress).toMatchObject({ tasksHealthy: 0, tasksWanted: 1, healthChecks: 0 });
    expect(h.eventsOf('app.task_status', id).filter((e) => e.data.state === 'RUNNING').length).toBeGreaterThanOrEqual(2);
    const app = await h.getApp(id);
    expect(app.status).toBe('DELAYED');
    expect(app.counts.healthChecks).toBe(0);
    expect((await h.call('DELETE', `/v1/apps/${enc(id)}`, '/v1/apps/{id}')).status).toBe(200);
  }, 30_000);

  it("keeps the agent's check results current between its reports", async () => {
    const id = '/sup/last-success';
    await create(id, 1);
    const first = (await h.tasks(id))[0].healthCheckResults[0];
    await new Promise((r) => setTimeout(r, 1000)); // five check intervals, during which the agent reports nothing
    const later = (await h.tasks(id))[0].healthCheckResults[0];
    expect(later.firstSuccess).toBe(first.firstSuccess);
    expect(Date.parse(later.lastSuccess)).toBeGreaterThan(Date.parse(first.lastSuccess) + 500);
    expect(later).toMatchObject({ alive: true, consecutiveFailures: 0 });
    expect((await h.call('DELETE', `/v1/apps/${enc(id)}`, '/v1/apps/{id}')).status).toBe(200);
  }, 20_000);

  it('replaces a task the master reports LOST (its agent gone) without counting it as a failure', async () => {
    const id = '/sup/lost';
    expect((await h.call('POST', '/v1/apps', '/v1/apps', { id, cmd: 'exec sleep 600', cpus: 0.05, mem: 16, instances: 2 })).status).toBe(201);
    await h.waitSteady(id, 2, { healthy: false });
    const [victim] = await h.tasks(id);
    const rec = h.cluster.master.tasks.get(victim.id)!;
    await h.cluster.master.masterUpdate(rec, 'LOST', 'REASON_AGENT_DISCONNECTED', 'agent lost (test)');
    await waitFor(async () => {
      const ts = await h.tasks(id);
      return ts.length === 2 && !ts.some((t) => t.id === victim.id) && ts.every((t) => t.state === 'RUNNING');
    }, { timeoutMs: 10_000, message: 'a replacement for the lost task' });
    const app = await h.getApp(id);
    expect(app.lastTaskFailure).toMatchObject({ taskId: victim.id, state: 'LOST' });
    expect(app.backoff.failures).toBe(0);
  }, 20_000);

  it('restarts as the same framework, keeps its tasks, and replaces one that died while it was down', async () => {
    const id = '/sup/restarted';
    expect((await h.call('POST', '/v1/apps', '/v1/apps', { id, cmd: 'exec sleep 600', cpus: 0.05, mem: 16, instances: 2, backoffSeconds: 0 })).status).toBe(201);
    await h.waitSteady(id, 2, { healthy: false });
    const frameworkId = h.service.frameworkId;
    const tasks = await h.tasks(id);
    await h.service.stop();

    const [dead, kept] = tasks;
    const executorPid = h.cluster.master.tasks.get(dead.id)!.executorPid!;
    process.kill(Number(execFileSync('pgrep', ['-P', String(executorPid)]).toString().trim().split('\n')[0]), 'SIGKILL');
    await waitFor(() => h.cluster.master.tasks.get(dead.id)?.state === 'FAILED', { timeoutMs: 5000, message: 'the master saw the task fail' });

    await h.startService();
    expect(h.service.frameworkId).toBe(frameworkId);
    const after = await waitFor(async () => {
      const ts = await h.tasks(id);
      return ts.length === 2 && ts.every((t) => t.state === 'RUNNING') && !ts.some((t) => t.id === dead.id) ? ts : undefined;
    }, { timeoutMs: 10_000, message: 'the dead task replaced after the restart' });
    expect(after.map((t) => t.id)).toContain(kept.id);
    const app = await h.getApp(id);
    expect(app.lastTaskFailure.taskId).toBe(dead.id);
    expect(app.versionInfo).toBeDefined();
  }, 30_000);

  it('counts an instance being killed as killing, never as healthy', async () => {
    const id = '/sup/killing-counts';
    // Ignores SIGTERM, so the kills of a scale-down stay in flight for the grace period while the tasks still run
    // (and still pass their checks).
    await create(id, 3, { cmd: "trap '' TERM; exec sleep 600", taskKillGracePeriodSeconds: 6 });
    expect((await h.call('POST', `/v1/apps/${enc(id)}/scale`, '/v1/apps/{id}/scale', { instances: 1 })).status).toBe(200);
    const during = await waitFor(async () => {
      const a = await h.getApp(id);
      return a.counts.killing === 2 ? a : undefined;
    }, { timeoutMs: 5000, intervalMs: 50, message: 'two instances being killed' });
    expect(during.counts).toMatchObject({ running: 1, healthy: 1, killing: 2 });
    const v2 = await h.call('GET', `/v2/apps${id}`, '/v2/apps/{*}');
    expect(v2.body.app).toMatchObject({ tasksRunning: 1, tasksHealthy: 1 });
    await h.waitSteady(id, 1, { timeoutMs: 20_000 });
  }, 40_000);

  it('backs off an instance that dies within a second although its healthy sibling has run for long', async () => {
    const id = '/sup/crash-loop';
    // The first instance to start keeps running (and passing its check); every later one exits 1 at once, as a
    // server whose port another process holds does while that process answers the agent's check.
    const cmd = `if mkdir ${dir}/crash-loop-winner 2>/dev/null; then exec sleep 600; else sleep 0.1; exit 1; fi`;
    const check = { protocol: 'COMMAND', command: 'true', gracePeriodSeconds: 0, intervalSeconds: 0.2, timeoutSeconds: 1, maxConsecutiveFailures: 2 };
    expect((await h.call('POST', '/v1/apps', '/v1/apps', { id, cmd, cpus: 0.05, mem: 16, instances: 2, healthChecks: [check], backoffSeconds: 1, backoffFactor: 2, maxLaunchDelaySeconds: 60 })).status).toBe(201);
    const failed = () => h.eventsOf('app.task_status', id).filter((e) => e.data.state === 'FAILED').length;
    // Past the time after which a healthy instance shows the app is stable (10 s), then a window to count in.
    await waitFor(async () => (await h.getApp(id)).counts.healthy === 1, { timeoutMs: 10_000, message: 'the sibling healthy' });
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const before = failed();
    const app = await h.getApp(id);
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    // Backoff 1, 2, 4, 8… s: a handful of failures in all; without it, one every few hundred milliseconds.
    expect(failed() - before).toBeLessThanOrEqual(2);
    expect(failed()).toBeLessThanOrEqual(7);
    expect(app.backoff.failures).toBeGreaterThanOrEqual(3);
    expect(app.status).toBe('DELAYED');
    expect((await h.call('DELETE', `/v1/apps/${enc(id)}`, '/v1/apps/{id}')).status).toBe(200);
  }, 50_000);
});
