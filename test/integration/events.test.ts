/**
 * `GET /v1/events` over a real socket: task status changes arrive as they happen, and a client that reconnects
 * with Last-Event-ID receives every event it missed, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOrrery, type TestOrrery } from '../helpers/orrery.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { openSse, type SseFrame } from '../helpers/sse.ts';

let redis: TestRedis;
let orrery: TestOrrery;

beforeAll(async () => {
  redis = await startTestRedis();
  orrery = await startTestOrrery(redis.url);
});

afterAll(async () => {
  await orrery?.stop();
  await redis?.stop();
});

describe('event stream', () => {
  it('streams task status changes as they happen', async () => {
    const sse = await openSse(`${orrery.url}/v1/events?type=task.*`);
    try {
      expect((await sse.next()).retry).toBe(2000);
      const res = await fetch(`${orrery.url}/v1/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ command: 'echo hi', cpus: 0.1, mem: 16 }) });
      const { id } = (await res.json()) as { id: string };
      const states: string[] = [];
      while (!states.includes('FINISHED')) {
        const f = await sse.next(10_000);
        expect(f.event).toBe('task.status');
        const data = JSON.parse(f.data!) as { taskId: string; state: string };
        if (data.taskId === id) states.push(data.state);
      }
      expect(states).toEqual(['RUNNING', 'FINISHED']);
    } finally {
      sse.close();
    }
  });

  it('gives a client that reconnects with Last-Event-ID all 200 events it missed, in order', async () => {
    const first = await openSse(`${orrery.url}/v1/events?type=test.*`);
    await first.next(); // retry hint
    orrery.events.publish('test.tick', { n: -1 });
    const seen = await first.next();
    expect(seen.event).toBe('test.tick');
    first.close();

    for (let n = 0; n < 200; n++) orrery.events.publish('test.tick', { n });
    orrery.events.publish('other.noise', { n: 999 });

    const again = await openSse(`${orrery.url}/v1/events?type=test.tick`, { 'last-event-id': seen.id! });
    await again.next(); // retry hint
    const got: SseFrame[] = [];
    while (got.length < 200) got.push(await again.next(5000));
    again.close();
    expect(got.map((f) => (JSON.parse(f.data!) as { n: number }).n)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const ids = got.map((f) => f.id!);
    expect(new Set(ids).size).toBe(200);
  });

  it('serves the same stream in Marathon\'s dialect on /v2/events', async () => {
    const sse = await openSse(`${orrery.url}/v2/events`);
    try {
      expect((await sse.next()).retry).toBe(2000);
      expect((await sse.next()).event).toBe('event_stream_attached');
      const res = await fetch(`${orrery.url}/v2/apps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: '/events/sleepy', cmd: 'sleep 600', instances: 1, cpus: 0.1, mem: 16 }),
      });
      expect(res.status).toBe(201);
      const seen = new Map<string, Record<string, unknown>>();
      while (!seen.has('status_update_event') || !seen.has('deployment_success')) {
        const f = await sse.next(10_000);
        const data = JSON.parse(f.data!) as Record<string, unknown>;
        expect(data.eventType).toBe(f.event);
        if (!seen.has(f.event!)) seen.set(f.event!, data);
      }
      expect(seen.get('api_post_event')).toMatchObject({ uri: '/v2/apps/events/sleepy' });
      expect(seen.get('status_update_event')).toMatchObject({ appId: '/events/sleepy', taskStatus: 'TASK_RUNNING' });
      expect(await (await fetch(`${orrery.url}/v2/apps/events/sleepy?force=true`, { method: 'DELETE' })).status).toBeLessThan(300);
    } finally {
      sse.close();
    }
  });

  it('rejects a malformed Last-Event-ID with a problem naming it', async () => {
    const res = await fetch(`${orrery.url}/v1/events`, { headers: { 'last-event-id': 'yesterday' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Array<{ field: string }> };
    expect(body.errors.map((e) => e.field)).toContain('headers.last-event-id');
  });
});
