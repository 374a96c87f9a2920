/**
 * Many machines, on loopback: one `orrery master` process and two `orrery agent` processes with their own work
 * dirs, resources and attributes, over the HTTP agent protocol with a real Redis. What a user checks: tasks run
 * on both agents and their stdout is readable through the master; agent calls without the cluster secret and
 * malformed ones are refused; a silent agent is disconnected and comes back by itself; a drained agent gets no
 * new tasks; a killed agent's tasks become LOST within the configured timeouts and its resources leave the
 * offers; a restarted master gets its agents back, with their running tasks (same PIDs); a cleanly stopped agent
 * (--kill-tasks-on-stop), freshly registered or re-registered after the restart, reports its tasks KILLED.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { killProcessGroups, spawnAgent, startAgentProcess, startMasterProcess, type AgentProcess, type MasterProcess } from '../helpers/processes.ts';
import { startFrameworkProcess } from '../helpers/framework-process.ts';
import { portRange } from '../helpers/ports.ts';

const SECRET = 'cluster-secret-for-tests-0123456789';
/** Short liveness settings (ms) so that loss and recovery fit in a test. */
const HEARTBEAT = 200;
const AGENT_TIMEOUT = 1500;
const AGENT_LOST = 4000;
const MASTER_ARGS = ['--agent-heartbeat-ms', String(HEARTBEAT), '--agent-timeout-ms', String(AGENT_TIMEOUT), '--agent-lost-ms', String(AGENT_LOST), '--agent-reregister-ms', '20000', '--lease-ttl-ms', '6000'];

const PORTS_A = portRange(100);
const PORTS_B = portRange(100);
/** `[lo-hi]` → [lo, hi]. */
const bounds = (range: string): number[] => range.slice(1, -1).split('-').map(Number);

let redis: TestRedis;
let root: string;
let master: MasterProcess;
let agentA: AgentProcess;
let agentB: AgentProcess;
const prefix = `agents-${process.pid}`;
/** Process groups of long tasks, killed at the end whatever happened. */
const groups = new Set<number>();

async function api(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const get = async (p: string): Promise<any> => (await api('GET', `${master.url}${p}`)).body;

async function runTask(command: string, constraints?: string[][]): Promise<string> {
  const r = await api('POST', `${master.url}/v1/tasks`, { command, cpus: 0.1, mem: 16, ...(constraints && { constraints }) });
  expect(r.status).toBe(202);
  return r.body.id;
}

async function taskIn(id: string, states: string[], timeoutMs = 15_000): Promise<any> {
  return waitFor(async () => {
    const t = await get(`/v1/tasks/${id}`);
    return states.includes(t.state) ? t : undefined;
  }, { timeoutMs, message: `task ${id} in ${states.join('|')}` });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  redis = await startTestRedis();
  root = await mkdtemp(path.join(tmpdir(), 'orrery-agents-http-'));
  master = await startMasterProcess({ redisUrl: redis.url, workDir: path.join(root, 'master'), prefix, secret: SECRET, args: MASTER_ARGS });
  // Agent A takes the secret from the environment, agent B from a file.
  const secretFile = path.join(root, 'cluster-secret');
  await writeFile(secretFile, `${SECRET}\n`, { mode: 0o600 });
  [agentA, agentB] = await Promise.all([
    startAgentProcess({ masterUrl: master.url, secret: SECRET, args: ['--kill-tasks-on-stop'], workDir: path.join(root, 'agent-a'), resources: `cpus:2;mem:1024;ports:${PORTS_A}`, attributes: 'node:a;rack:r1', hostname: 'agent-a' }),
    startAgentProcess({ masterUrl: master.url, args: ['--kill-tasks-on-stop', '--cluster-secret-file', secretFile], workDir: path.join(root, 'agent-b'), resources: `cpus:1;mem:2048;disk:500;ports:${PORTS_B}`, attributes: 'node:b;rack:r2', hostname: 'agent-b' }),
  ]);
}, 90_000);

afterAll(async () => {
  for (const p of [agentA, agentB, master]) await p?.stop();
  killProcessGroups(groups);
  await redis?.stop();
  if (root) await rm(root, { recursive: true, force: true });
}, 60_000);

describe('agents over HTTP (a master process and two agent processes)', () => {
  it('registers both agents with their resources and attributes; tasks run on each and their stdout reads through the master', { timeout: 60_000 }, async () => {
    const { agents } = await get('/v1/agents');
    const a = agents.find((x: any) => x.id === agentA.agentId);
    const b = agents.find((x: any) => x.id === agentB.agentId);
    expect(a).toMatchObject({ hostname: 'agent-a', state: 'ACTIVE', attributes: { node: 'a', rack: 'r1' }, resources: { total: { scalars: { cpus: 2, mem: 1024 }, ranges: { ports: [bounds(PORTS_A)] } } } });
    expect(b).toMatchObject({ hostname: 'agent-b', state: 'ACTIVE', attributes: { node: 'b', rack: 'r2' }, resources: { total: { scalars: { cpus: 1, mem: 2048, disk: 500 }, ranges: { ports: [bounds(PORTS_B)] } } } });

    const onA = await runTask('echo "hello from $MESOS_SANDBOX, secret: ${ORRERY_CLUSTER_SECRET:-not inherited}"', [['node', 'EQUALS', 'a']]);
    const onB = await runTask('echo "hello from b"; echo "err on b" >&2', [['hostname', 'EQUALS', 'agent-b']]);
    const [ta, tb] = await Promise.all([taskIn(onA, ['FINISHED', 'FAILED']), taskIn(onB, ['FINISHED', 'FAILED'])]);
    expect(ta).toMatchObject({ state: 'FINISHED', exitCode: 0, agentId: agentA.agentId, hostname: 'agent-a' });
    expect(tb).toMatchObject({ state: 'FINISHED', exitCode: 0, agentId: agentB.agentId, hostname: 'agent-b' });
    // Agent A's sandbox, under its own work dir; the secret A was given in its environment does not reach tasks.
    expect((await get(`/v1/tasks/${onA}/files/stdout`)).data).toMatch(new RegExp(`^hello from ${path.join(root, 'agent-a', 'sandboxes')}/\\S+/${onA}/\\S+, secret: not inherited\n$`));
    expect((await get(`/v1/tasks/${onB}/files/stdout`)).data).toBe('hello from b\n');
    expect((await get(`/v1/tasks/${onB}/files/stderr?offset=4&length=2`))).toEqual({ data: 'on', offset: 4, size: 9 });
    // Reads stay inside the sandbox on the agent's side too.
    const escape = await api('POST', `${agentA.url}/api/v1/agent/files/read`, { taskId: onA, path: '../../../meta/agent.json', offset: 0, length: 100 }, { 'x-orrery-cluster-secret': SECRET });
    expect(escape.status).toBe(400);
    expect(escape.body.code).toBe('ORR_ERR_SANDBOX_PATH_INVALID');
  });

  it('a framework in a fourth process launches tasks on both agents over the framework API; their stdout reads through the master', { timeout: 60_000 }, async () => {
    // 0.6 cpus each: agent A (2 cpus) holds three, agent B (1 cpu) one, so four tasks need both agents.
    const fw = startFrameworkProcess(master.url, ['--count', '4', '--cpus', '0.6', '--mem', '16', '--name', 'spread', '--command', 'sleep 2; echo "task $TASK_INDEX on $(hostname)"']);
    try {
      const frameworkId = (await fw.waitForLine((l) => l.startsWith('subscribed '), 'subscribed')).split(' ')[1];
      await fw.waitForLine((l) => l === 'done', 'every task ended', 45_000);
      expect(await fw.exited).toBe(0);
      const finished = fw.lines.filter((l) => / FINISHED\b/.test(l));
      expect(finished).toHaveLength(4);
      const tasks = (await get(`/v1/tasks?framework=${encodeURIComponent(frameworkId)}&limit=100`)).tasks as Array<{ id: string; agentId: string; state: string }>;
      expect(tasks.filter((t) => t.state === 'FINISHED')).toHaveLength(4);
      expect(new Set(tasks.map((t) => t.agentId))).toEqual(new Set([agentA.agentId, agentB.agentId]));
      for (const agentId of [agentA.agentId, agentB.agentId]) {
        const t = tasks.find((x) => x.agentId === agentId)!;
        expect((await get(`/v1/tasks/${t.id}/files/stdout`)).data).toMatch(/^task [0-3] on /);
      }
    } finally {
      await fw.kill();
    }
  });

  it('runs an app with one instance per agent (hostname UNIQUE), health-checked where the master reaches each agent', { timeout: 60_000 }, async () => {
    const id = '/remote/web';
    const check = { protocol: 'HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 30, intervalSeconds: 0.5, timeoutSeconds: 2, maxConsecutiveFailures: 3 };
    const created = await api('POST', `${master.url}/v1/apps`, { id, cmd: 'exec /usr/bin/python3 -m http.server $PORT0', instances: 2, cpus: 0.1, mem: 64, ports: [{ name: 'http' }], healthChecks: [check], constraints: [['hostname', 'UNIQUE', '']] });
    expect(created.status).toBe(201);
    const path = `/v1/apps/${encodeURIComponent(id)}`;
    await waitFor(async () => {
      const c = (await get(path)).counts;
      return c.running === 2 && c.healthy === 2;
    }, { timeoutMs: 30_000, message: 'two healthy instances' });
    const tasks = (await get(`${path}/tasks`)).tasks;
    expect(tasks.map((t: any) => t.agentId).sort()).toEqual([agentA.agentId, agentB.agentId].sort());
    expect((await api('DELETE', `${master.url}${path}`)).status).toBeLessThan(300);
    await waitFor(async () => (await get(`/v1/tasks?state=RUNNING`)).total === 0, { timeoutMs: 20_000, message: "the app's tasks ended" });
  });

  it('refuses agent calls without the right cluster secret (401, logged), on the master and on the agents', { timeout: 60_000 }, async () => {
    const registration = { sessionId: 'aaaaaaaa-0000-0000-0000-000000000000', url: 'http://127.0.0.1:9', registration: { hostname: 'thief', resources: { scalars: { cpus: 64 }, ranges: {}, sets: {} }, attributes: {}, isolators: [], version: 'x', tasks: [] } };
    const missing = await api('POST', `${master.url}/api/v1/agent/register`, registration);
    expect(missing.status).toBe(401);
    expect(missing.body.code).toBe('ORR_ERR_UNAUTHORIZED');
    const wrong = await api('POST', `${master.url}/api/v1/agent/register`, registration, { 'x-orrery-cluster-secret': 'guess' });
    expect(wrong.status).toBe(401);

    // A real agent process with a wrong secret is refused and exits; so is one the master cannot reach at the
    // address it advertises (nothing listens on 127.0.0.2 for it), with the reason.
    const thief = spawnAgent({ masterUrl: master.url, workDir: path.join(root, 'thief'), secret: 'not-the-secret', resources: 'cpus:64;mem:65536', hostname: 'thief' });
    const unreachable = spawnAgent({ masterUrl: master.url, workDir: path.join(root, 'unreachable'), secret: SECRET, resources: 'cpus:1;mem:64', hostname: 'hidden', args: ['--advertise-host', '127.0.0.2'] });
    expect(await thief.exited).toBe(1);
    expect(thief.output()).toMatch(/refused the registration/);
    expect(await unreachable.exited).toBe(1);
    expect(unreachable.output()).toMatch(/the master cannot reach this agent at http:\/\/127\.0\.0\.2:\d+: .*advertise-host/);
    await waitFor(() => master.logs().filter((l) => l.msg === 'agent protocol request refused' && l.why === 'wrong cluster secret').length >= 2, { message: 'refusals logged by the master' });
    expect(master.logs().some((l) => l.msg === 'agent protocol request refused' && l.why === 'no cluster secret presented')).toBe(true);
    expect((await get('/v1/agents')).agents.map((a: any) => a.hostname).sort()).toEqual(['agent-a', 'agent-b']);

    // The master → agent direction needs it too.
    const toAgent = await api('POST', `${agentA.url}/api/v1/agent/messages`, { sessionId: 'x'.repeat(36), seq: 1, messages: [] });
    expect(toAgent.status).toBe(401);
    const staleSession = await api('POST', `${agentA.url}/api/v1/agent/messages`, { sessionId: 'x'.repeat(36), seq: 1, messages: [] }, { 'x-orrery-cluster-secret': SECRET });
    expect(staleSession.status).toBe(409);
    expect(staleSession.body.code).toBe('ORR_ERR_AGENT_SESSION_STALE');
  });

  it('answers malformed agent calls with 4xx naming the field, and changes nothing', { timeout: 30_000 }, async () => {
    const auth = { 'x-orrery-cluster-secret': SECRET };
    const before = await get('/v1/agents');
    const noUrl = await api('POST', `${master.url}/api/v1/agent/register`, { sessionId: 'bbbbbbbb-0000', registration: {} }, auth);
    expect(noUrl.status).toBe(400);
    expect(noUrl.body.errors.map((e: any) => e.field)).toContain('body.url');
    const badResources = await api('POST', `${master.url}/api/v1/agent/register`, { sessionId: 'bbbbbbbb-0000', url: 'http://127.0.0.1:9', registration: { hostname: 'h', resources: { scalars: { cpus: -1 }, ranges: {}, sets: {} }, attributes: {}, isolators: [], version: 'x', tasks: [] } }, auth);
    expect(badResources.status).toBe(400);
    expect(badResources.body.errors[0].field).toMatch(/^body\.registration\.resources/);
    const notJson = await api('POST', `${master.url}/api/v1/agent/heartbeat`, '{"agentId":', auth);
    expect(notJson.status).toBe(400);
    const badState = await api('POST', `${master.url}/api/v1/agent/updates`, { agentId: agentA.agentId, sessionId: 'cccccccc-0000', updates: [{ taskId: 't', frameworkId: 'f', agentId: agentA.agentId, state: 'EXPLODED', source: 'SOURCE_AGENT', timestamp: 1, uuid: 'u' }] }, auth);
    expect(badState.status).toBe(400);
    expect(badState.body.errors[0].field).toBe('body.updates[0].state');
    const unknownSession = await api('POST', `${master.url}/api/v1/agent/heartbeat`, { agentId: agentA.agentId, sessionId: 'dddddddd-0000' }, auth);
    expect(unknownSession.status).toBe(409);
    expect(unknownSession.body.code).toBe('ORR_ERR_AGENT_NOT_REGISTERED');
    const badMessage = await api('POST', `${agentA.url}/api/v1/agent/messages`, { sessionId: 'x', seq: 0, messages: [{ type: 'LAUNCH' }] }, auth);
    expect(badMessage.status).toBe(400);
    const after = await get('/v1/agents');
    expect(after.agents.map((a: any) => [a.id, a.state])).toEqual(before.agents.map((a: any) => [a.id, a.state]));
  });

  it('marks an agent that stops heartbeating disconnected; after the cut it registers again by itself and its task kept running', { timeout: 60_000 }, async () => {
    const id = await runTask('sleep 300', [['node', 'EQUALS', 'a']]);
    const task = await taskIn(id, ['RUNNING']);
    groups.add(task.executorPid);
    // SIGSTOP: the process is there but silent, as behind a network cut.
    agentA.child.kill('SIGSTOP');
    try {
      await waitFor(async () => (await get(`/v1/agents/${agentA.agentId}`)).state === 'DISCONNECTED', { timeoutMs: AGENT_TIMEOUT + 5000, message: 'agent A disconnected' });
      const view = await get(`/v1/agents/${agentA.agentId}`);
      expect(view.resources.offered).toEqual({ scalars: {}, ranges: {}, sets: {} });
    } finally {
      agentA.child.kill('SIGCONT');
    }
    await waitFor(async () => (await get(`/v1/agents/${agentA.agentId}`)).state === 'ACTIVE', { timeoutMs: 10_000, message: 'agent A back' });
    expect(await get(`/v1/tasks/${id}`)).toMatchObject({ state: 'RUNNING', executorPid: task.executorPid });
    // The master admitted it before the agent read the answer and logged it.
    await waitFor(() => agentA.logs().some((l) => l.msg === 'agent re-registered'), { message: "agent A's re-registration in its log" });
    const killed = await api('DELETE', `${master.url}/v1/tasks/${id}?gracePeriodMs=100`);
    expect(killed.status).toBe(202);
    await taskIn(id, ['KILLED']);
  });

  it('drains an agent: it gets no new tasks, the running ones keep running', { timeout: 60_000 }, async () => {
    const long = await runTask('sleep 300', [['node', 'EQUALS', 'b']]);
    const running = await taskIn(long, ['RUNNING']);
    groups.add(running.executorPid);
    const drained = await api('POST', `${master.url}/v1/agents/${agentB.agentId}/drain`);
    expect(drained.status).toBe(200);
    expect(drained.body).toMatchObject({ id: agentB.agentId, state: 'DRAINING' });
    expect((await get('/v1/agents')).agents.find((a: any) => a.id === agentB.agentId).state).toBe('DRAINING');
    const wantsB = await runTask('echo never', [['node', 'EQUALS', 'b']]);
    // Offers keep flowing (a task for A starts after it); the task for B stays pending.
    const forA = await runTask('echo later', [['node', 'EQUALS', 'a']]);
    await taskIn(forA, ['FINISHED']);
    expect((await get(`/v1/tasks/${wantsB}`)).state).toBe('PENDING');
    expect(await get(`/v1/tasks/${long}`)).toMatchObject({ state: 'RUNNING', executorPid: running.executorPid });
    expect((await api('DELETE', `${master.url}/v1/tasks/${wantsB}`)).status).toBe(202);
    expect((await api('POST', `${master.url}/v1/agents/nope/drain`)).status).toBe(404);
  });

  it('kill -9 of an agent: its tasks become LOST within the configured timeouts and its resources leave the offers', { timeout: 60_000 }, async () => {
    const onB = (await get(`/v1/tasks?agent=${encodeURIComponent(agentB.agentId)}&state=RUNNING`)).tasks;
    expect(onB.length).toBe(1);
    const killedAt = Date.now();
    await agentB.kill9();
    const lost = await taskIn(onB[0].id, ['LOST', 'UNREACHABLE'], AGENT_TIMEOUT + AGENT_LOST + 10_000);
    const tookMs = Date.now() - killedAt;
    expect(lost.reason).toBe('REASON_AGENT_DISCONNECTED');
    expect(lost.message).toMatch(/disconnected/);
    // Disconnection after the timeout (+ one check), loss after the lost timeout; generous slack for a loaded machine.
    expect(tookMs).toBeLessThan(AGENT_TIMEOUT + AGENT_LOST + 5000);
    const state = await get('/v1/state');
    const b = state.agents.find((a: any) => a.id === agentB.agentId);
    expect(b.state).toBe('DISCONNECTED');
    expect(b.resources.offered).toEqual({ scalars: {}, ranges: {}, sets: {} });
    expect(b.tasks).toBe(0);
    // Its sandboxes cannot be read while it is away: 503, retryable, at once.
    const read = await api('GET', `${master.url}/v1/tasks/${onB[0].id}/files/stdout`);
    expect(read.status).toBe(503);
    expect(read.body.code).toBe('ORR_ERR_UNAVAILABLE');
    // Nothing new lands on it.
    const wantsB = await runTask('echo never', [['node', 'EQUALS', 'b']]);
    const forA = await runTask('echo still-works', [['node', 'EQUALS', 'a']]);
    await taskIn(forA, ['FINISHED']);
    expect((await get(`/v1/tasks/${wantsB}`)).state).toBe('PENDING');
    await api('DELETE', `${master.url}/v1/tasks/${wantsB}`);
  });

  it('restart of the master: the agent registers again by itself with its running task (same PID), which the new master can kill', { timeout: 90_000 }, async () => {
    const id = await runTask('sleep 300', [['node', 'EQUALS', 'a']]);
    const before = await taskIn(id, ['RUNNING']);
    groups.add(before.executorPid);
    const port = Number(new URL(master.url).port);
    const oldMasterId = (await get('/v1/state')).masterId;
    await master.kill9();
    master = await startMasterProcess({ redisUrl: redis.url, workDir: path.join(root, 'master'), prefix, secret: SECRET, port, args: MASTER_ARGS });
    expect(master.url).toBe(`http://127.0.0.1:${port}`);
    // The new master leads once the killed one's lease (6 s) has expired; until then it answers 503. The test's
    // pooled connection to the killed master may also be reset once.
    const newMasterId = await waitFor(async () => (await get('/v1/state')).masterId, { timeoutMs: 20_000, message: 'new master answers' }).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}; master output: ${master.output().slice(-3000)}`);
    });
    expect(newMasterId).not.toBe(oldMasterId);
    await waitFor(async () => (await get(`/v1/agents/${agentA.agentId}`)).state === 'ACTIVE', { timeoutMs: 20_000, message: 'agent A re-registered with the new master' });
    const after = await get(`/v1/tasks/${id}`);
    expect(after).toMatchObject({ state: 'RUNNING', agentId: agentA.agentId, executorPid: before.executorPid });
    expect(alive(before.executorPid)).toBe(true);
    expect((await get(`/v1/tasks/${id}/files/stdout`)).size).toBe(0);
    expect((await api('DELETE', `${master.url}/v1/tasks/${id}?gracePeriodMs=100`)).status).toBe(202);
    await taskIn(id, ['KILLED']);
    await waitFor(() => !alive(before.executorPid), { message: 'task process gone' });
  });

  // Both clean-stop cases stop the agent right after the master shows RUNNING: the master's acknowledgement of
  // RUNNING may still be on its way, so KILLED queues behind an unacknowledged head, which the agent sends once
  // more as it stops (StatusUpdateManager.close). Before that, KILLED was lost (then LOST from the timeouts).
  it('a cleanly stopped agent that re-registered after the master restart reports its tasks KILLED before it exits', { timeout: 60_000 }, async () => {
    // Agent A registered again with the master that runs now (the restart test above).
    const { masterId } = await get('/v1/state');
    expect(agentA.logs().filter((l) => l.msg === 'registered with the master').at(-1)?.masterId).toBe(masterId);
    const id = await runTask('sleep 300', [['node', 'EQUALS', 'a']]);
    const running = await taskIn(id, ['RUNNING']);
    groups.add(running.executorPid);
    expect(await agentA.stop()).toBe(0);
    // KILLED from the agent itself, not LOST from the master's timeouts.
    const ended = await taskIn(id, ['KILLED', 'LOST'], 15_000);
    expect(ended.state, `agent A output: ${agentA.output().slice(-4000)}`).toBe('KILLED');
    expect(alive(running.executorPid)).toBe(false);
  });

  it('a cleanly stopped agent with --kill-tasks-on-stop reports its tasks KILLED before it exits', { timeout: 60_000 }, async () => {
    // A freshly registered agent (no master restart in its life).
    const agentD = await startAgentProcess({ masterUrl: master.url, secret: SECRET, args: ['--kill-tasks-on-stop'], workDir: path.join(root, 'agent-d'), resources: `cpus:1;mem:256;ports:${portRange(20)}`, attributes: 'node:d', hostname: 'agent-d' });
    const id = await runTask('sleep 300', [['node', 'EQUALS', 'd']]);
    const running = await taskIn(id, ['RUNNING']);
    groups.add(running.executorPid);
    expect(await agentD.stop()).toBe(0);
    // KILLED from the agent itself, not LOST from the master's timeouts.
    const ended = await taskIn(id, ['KILLED', 'LOST'], 15_000);
    expect(ended.state, `agent D output: ${agentD.output().slice(-4000)}`).toBe('KILLED');
    expect(alive(running.executorPid)).toBe(false);
  });

  it('kill -9 of an agent process, started again on the same work dir: same task, same PID, RUNNING; a task that exited meanwhile reports its real exit code', { timeout: 90_000 }, async () => {
    const spec = { masterUrl: master.url, secret: SECRET, workDir: path.join(root, 'agent-c'), resources: `cpus:1;mem:512;ports:${portRange(50)}`, attributes: 'node:c', hostname: 'agent-c' };
    const agentC = await startAgentProcess(spec);
    const onC = [['hostname', 'EQUALS', 'agent-c']];
    const long = await runTask('sleep 300', onC);
    const short = await runTask('sleep 1; exit 7', onC);
    const [runningLong, runningShort] = await Promise.all([taskIn(long, ['RUNNING']), taskIn(short, ['RUNNING'])]);
    groups.add(runningLong.executorPid);
    await agentC.kill9();
    // The short task's executor outlives the agent: it ends on its own and records the exit status in the sandbox.
    await waitFor(() => !alive(runningShort.executorPid), { timeoutMs: 10_000, message: 'the short task to end while its agent is down' });
    const again = await startAgentProcess(spec);
    try {
      expect(again.agentId).toBe(agentC.agentId);
      const ended = await taskIn(short, ['FINISHED', 'FAILED', 'LOST', 'KILLED']);
      expect(ended).toMatchObject({ state: 'FAILED', exitCode: 7 });
      expect(await get(`/v1/tasks/${long}`)).toMatchObject({ state: 'RUNNING', agentId: agentC.agentId, executorPid: runningLong.executorPid });
      expect(alive(runningLong.executorPid)).toBe(true);
    } finally {
      await again.stop();
    }
  });
});
