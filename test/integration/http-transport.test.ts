/**
 * The SDK's HTTP transport against a scripted master (a plain node:http server speaking the scheduler API), for
 * what a real master does not do on demand: go silent (heartbeat timeout), drop the stream, end it with ERROR,
 * or refuse a re-subscription.
 */
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../core/logging/logger.ts';
import { HttpTransport } from '../../core/sdk/index.ts';
import type { Event } from '../../core/sdk/protocol.ts';
import { recordioFrame } from '../../core/sdk/recordio.ts';
import { waitFor } from '../helpers/wait-for.ts';

type Behaviour = 'silent' | 'heartbeat' | 'end' | 'error' | 'refuse';

interface Subscription {
  frameworkInfo: { name: string; id?: { value: string } };
  streamId: string;
}

async function scriptedMaster(behaviours: Behaviour[]) {
  const subscriptions: Subscription[] = [];
  const calls: Array<{ streamId: string | undefined; body: unknown; path: string }> = [];
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(text) as { type?: string; subscribe?: { framework_info: Subscription['frameworkInfo'] } };
      if (body.type !== 'SUBSCRIBE') {
        calls.push({ streamId: req.headers['mesos-stream-id'] as string | undefined, body, path: req.url ?? '' });
        if (req.url === '/api/v1/scheduler/batch') {
          const n = (body as { calls: unknown[] }).calls.length;
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results: Array.from({ length: n }, (_, i) => (i === 0 ? { status: 202 } : { status: 404, problem: { code: 'ORR_ERR_OFFER_NOT_FOUND', detail: 'gone', errors: [{ field: 'body.calls[1].decline.offer_ids[0]', message: 'gone' }] } })) }));
          return;
        }
        res.writeHead(202).end();
        return;
      }
      const behaviour = behaviours[Math.min(subscriptions.length, behaviours.length - 1)];
      const streamId = `stream-${subscriptions.length + 1}`;
      subscriptions.push({ frameworkInfo: body.subscribe!.framework_info, streamId });
      if (behaviour === 'refuse') {
        res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ code: 'ORR_ERR_FRAMEWORK_NOT_FOUND', detail: 'framework is not known', status: 404 }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'mesos-stream-id': streamId });
      open.add(res);
      res.on('close', () => open.delete(res));
      res.write(recordioFrame(JSON.stringify({ type: 'SUBSCRIBED', subscribed: { framework_id: { value: 'fw-1' }, heartbeat_interval_seconds: 0.1 } })));
      if (behaviour === 'end') setTimeout(() => res.end(), 50);
      if (behaviour === 'error') res.end(recordioFrame(JSON.stringify({ type: 'ERROR', error: { message: 'framework removed' } })));
      if (behaviour === 'heartbeat') {
        const t = setInterval(() => res.write(recordioFrame('{"type":"HEARTBEAT"}')), 100);
        res.on('close', () => clearInterval(t));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    subscriptions,
    calls,
    async stop() {
      for (const r of open) r.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function subscribe(behaviours: Behaviour[]) {
  const master = await scriptedMaster(behaviours);
  cleanups.push(() => master.stop());
  const transport = new HttpTransport({ url: master.url, logger: silentLogger(), backoff: { initialMs: 20, maxMs: 100 } });
  cleanups.push(() => transport.close());
  const events: Event[] = [];
  const closes: string[] = [];
  const r = await transport.subscribe({ name: 'probe', failoverTimeoutMs: 60_000 }, (e) => events.push(e), (reason) => closes.push(reason));
  expect(r).toEqual({ ok: true, value: { frameworkId: 'fw-1', streamId: 'stream-1' } });
  return { master, transport, events, closes };
}

describe('HttpTransport', () => {
  it('drops a stream that stops heartbeating and re-subscribes with its framework id; calls use the new stream', async () => {
    const { master, transport, events, closes } = await subscribe(['silent', 'heartbeat']);
    await waitFor(() => master.subscriptions.length === 2, { timeoutMs: 5000, message: 're-subscription after the heartbeat timeout' });
    expect(master.subscriptions[1].frameworkInfo.id).toEqual({ value: 'fw-1' });
    await waitFor(() => events.filter((e) => e.type === 'SUBSCRIBED').length === 2, { message: 'the second SUBSCRIBED' });
    expect(await transport.call('fw-1', 'stream-1', { type: 'REVIVE' })).toEqual({ ok: true, value: undefined });
    expect(master.calls.at(-1)?.streamId).toBe('stream-2');
    // Heartbeats keep the second stream alive well past the timeout.
    await new Promise((r) => setTimeout(r, 1500));
    expect(master.subscriptions).toHaveLength(2);
    expect(closes).toEqual([]);
  });

  it('re-subscribes after the master ends the stream without an ERROR', async () => {
    const { master, closes } = await subscribe(['end', 'heartbeat']);
    await waitFor(() => master.subscriptions.length === 2, { message: 're-subscription' });
    expect(closes).toEqual([]);
  });

  it('ends the subscription when the master sends ERROR, without re-subscribing', async () => {
    const { master, events, closes } = await subscribe(['error']);
    await waitFor(() => closes.length === 1, { message: 'onClose' });
    expect(closes).toEqual(['framework removed']);
    expect(events.map((e) => e.type)).toEqual(['SUBSCRIBED', 'ERROR']);
    await new Promise((r) => setTimeout(r, 300));
    expect(master.subscriptions).toHaveLength(1);
  });

  it('ends the subscription when the master no longer knows the framework', async () => {
    const { transport, closes } = await subscribe(['end', 'refuse']);
    await waitFor(() => closes.length === 1, { message: 'onClose after the refusal' });
    expect(closes[0]).toContain('not known');
    expect((await transport.call('fw-1', 'stream-1', { type: 'REVIVE' })).ok).toBe(false);
  });

  it('sends the calls of one moment as one batch, each with its own answer', async () => {
    const { master, transport } = await subscribe(['heartbeat']);
    const results = await Promise.all([transport.call('fw-1', 'x', { type: 'REVIVE' }), transport.call('fw-1', 'x', { type: 'DECLINE', offerIds: ['o-1'] })]);
    expect(master.calls).toHaveLength(1);
    expect(master.calls[0].path).toBe('/api/v1/scheduler/batch');
    expect((master.calls[0].body as { calls: Array<{ type: string }> }).calls.map((c) => c.type)).toEqual(['REVIVE', 'DECLINE']);
    expect(results).toEqual([{ ok: true, value: undefined }, { ok: false, error: { code: 'OFFER_NOT_FOUND', message: 'gone', field: 'body.calls[1].decline.offer_ids[0]' } }]);
    // A lone call goes to the Mesos path.
    await transport.call('fw-1', 'x', { type: 'REVIVE' });
    expect(master.calls[1].path).toBe('/api/v1/scheduler');
  });
});
