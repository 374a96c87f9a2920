/**
 * The master → agent half of the HTTP agent protocol against a real agent-side server on loopback: order and
 * batching of launch / kill / acknowledge, no double application of a re-sent batch, session fencing, the
 * cluster secret, and readFile's answers and refusals as the in-process AgentLink gives them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { systemClock } from '../../core/clock/clock.ts';
import { err, ok } from '../../core/errors/result.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import type { AgentLink, TaskStats } from '../../core/agent/protocol.ts';
import type { TaskInfo } from '../../core/sdk/protocol.ts';
import { HttpAgentLink } from '../../core/transport/http-agent-link.ts';
import { buildHttpServer } from '../../services/server/http-server.ts';
import { MetricsRegistry } from '../../services/server/metrics.ts';
import { agentHostRoutes } from '../../services/server/routes/agent-host-routes.ts';
import { waitFor } from '../helpers/wait-for.ts';

const SECRET = 'protocol-test-secret';
let server: FastifyInstance;
let url: string;
let session = 'session-0001';
let requests = 0;
const applied: string[] = [];

const KNOWN_STATS: TaskStats = { taskId: 'known', timestamp: 1_700_000_000_000, running: true, isolation: 'cgroups/v1', cpusUserTimeSecs: 1.5, cpusSystemTimeSecs: 0.25, memRssBytes: 4096, memLimitBytes: 67_108_864, memOomKills: 0 };

const recordingAgent: AgentLink = {
  launch: (_f, t) => void applied.push(`LAUNCH ${t.taskId}`),
  kill: (_f, id, grace) => void applied.push(`KILL ${id}${grace === undefined ? '' : ` ${grace}`}`),
  acknowledge: (id, uuid) => void applied.push(`ACK ${id} ${uuid}`),
  readFile: async (taskId, _path, offset) => (taskId === 'known' ? ok({ data: 'hello', offset, size: 5 }) : err({ code: 'TASK_NOT_FOUND', message: `no task ${taskId} on this agent`, field: 'taskId' })),
  taskStats: async (taskId) => (taskId === 'known' ? ok(KNOWN_STATS) : err({ code: 'TASK_NOT_FOUND', message: `no task ${taskId} on this agent`, field: 'taskId' })),
};

const task = (taskId: string): TaskInfo => ({ taskId, name: taskId, agentId: 'a1', resources: { scalars: { cpus: 0.1 }, ranges: {}, sets: {} }, command: { shell: true, value: 'true' } });
const newLink = (secret = SECRET, sessionId = session) => new HttpAgentLink({ url, sessionId, clusterSecret: secret, clock: systemClock, logger: silentLogger(), retry: { initialMs: 20, maxMs: 100 }, giveUpMs: 2000 });

beforeAll(async () => {
  server = await buildHttpServer({ logger: silentLogger(), metrics: new MetricsRegistry(), routes: [agentHostRoutes({ agent: () => recordingAgent, clusterSecret: () => SECRET, sessionId: () => session })] });
  server.addHook('onRequest', async () => void requests++);
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  applied.length = 0;
  requests = 0;
});

describe('HTTP agent link (master → agent)', () => {
  it('sends the calls of one turn as one request, in call order (a kill never overtakes its launch)', async () => {
    const link = newLink();
    link.launch('fw', task('t1'));
    link.kill('fw', 't1', 250);
    link.acknowledge('t0', 'u0');
    await waitFor(() => applied.length === 3, { message: 'three messages applied' });
    expect(applied).toEqual(['LAUNCH t1', 'KILL t1 250', 'ACK t0 u0']);
    expect(requests).toBe(1);
    // Calls made while that request was out travel together in the next one, still in order.
    for (let i = 0; i < 50; i++) link.acknowledge(`t${i}`, `u${i}`);
    await waitFor(() => applied.length === 53);
    expect(applied.slice(3)).toEqual(Array.from({ length: 50 }, (_, i) => `ACK t${i} u${i}`));
    expect(requests).toBeLessThanOrEqual(3);
    link.close('test over');
  });

  it('does not apply a re-sent batch twice (its first answer was lost)', async () => {
    const body = { sessionId: session, seq: 1000, messages: [{ type: 'LAUNCH', frameworkId: 'fw', task: task('once') }] };
    const send = () => fetch(`${url}/api/v1/agent/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-orrery-cluster-secret': SECRET }, body: JSON.stringify(body) });
    expect(await (await send()).json()).toEqual({ applied: 1 });
    expect(await (await send()).json()).toEqual({ applied: 0 });
    expect(applied).toEqual(['LAUNCH once']);
  });

  it('closes a link whose session the agent no longer holds, and refuses a link without the right secret', async () => {
    const old = newLink();
    session = 'session-0002';
    old.launch('fw', task('stale'));
    await waitFor(() => old.isClosed, { message: 'old link closed on 409' });
    expect(applied).toEqual([]);
    const fresh = newLink();
    fresh.launch('fw', task('fresh'));
    await waitFor(() => applied.includes('LAUNCH fresh'));
    const wrong = newLink('not-the-secret');
    const read = await wrong.readFile('known', 'stdout', 0, 10);
    expect(read).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNAUTHORIZED' }) });
    fresh.close('test over');
    wrong.close('test over');
  });

  it('reads sandbox files, and brings back the agent refusal with its code and field', async () => {
    const link = newLink();
    expect(await link.readFile('known', 'stdout', 2, 10)).toEqual({ ok: true, value: { data: 'hello', offset: 2, size: 5 } });
    expect(await link.readFile('other', 'stdout', 0, 10)).toEqual({ ok: false, error: { code: 'TASK_NOT_FOUND', message: 'no task other on this agent', field: 'taskId' } });
    link.close('test over');
    const gone = new HttpAgentLink({ url: 'http://127.0.0.1:9', sessionId: session, clusterSecret: SECRET, clock: systemClock, logger: silentLogger() });
    const unreachable = await gone.readFile('known', 'stdout', 0, 10);
    expect(unreachable.ok ? undefined : unreachable.error.code).toBe('AGENT_UNAVAILABLE');
    gone.close('test over');
  });

  it("reads a task's usage, and brings back the agent refusal for an unknown task", async () => {
    const link = newLink();
    expect(await link.taskStats('known')).toEqual({ ok: true, value: KNOWN_STATS });
    expect(await link.taskStats('other')).toEqual({ ok: false, error: { code: 'TASK_NOT_FOUND', message: 'no task other on this agent', field: 'taskId' } });
    link.close('test over');
  });
});
