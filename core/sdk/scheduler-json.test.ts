import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { res } from '../allocator/test-support.ts';
import type { Call, Event, TaskStatus } from './protocol.ts';
import { RecordIoReader, recordioFrame } from './recordio.ts';
import { eventFromWire, eventToWire } from './scheduler-events-json.ts';
import { callFromWire, callToWire, frameworkInfoFromWire, frameworkInfoToWire, wireFieldOf } from './scheduler-json.ts';
import { uuidFromWire, uuidToWire } from './scheduler-wire.ts';

const FID = 'm-0001';

describe('scheduler JSON (Mesos v1 dialect)', () => {
  it('round-trips every call type through the wire shape', () => {
    const calls: Call[] = [
      {
        type: 'ACCEPT',
        offerIds: ['m-O1', 'm-O2'],
        operations: [
          {
            type: 'LAUNCH',
            tasks: [
              { taskId: 't1', name: 'one', agentId: 'm-S1', resources: res('cpus:0.5;mem:64;ports:[31000-31001]'), command: { shell: true, value: 'echo hi', env: { A: 'b' } }, killGracePeriodMs: 2500, labels: { team: 'x' } },
              { taskId: 't2', name: 'two', agentId: 'm-S1', resources: res('cpus:1;mem:1'), command: { shell: false, arguments: ['/bin/echo', 'a b'] } },
            ],
          },
        ],
        filters: { refuseSeconds: 2 },
      },
      { type: 'DECLINE', offerIds: ['m-O3'], filters: { refuseSeconds: 60 } },
      { type: 'KILL', taskId: 't1', agentId: 'm-S1', killGracePeriodMs: 100 },
      { type: 'ACKNOWLEDGE', agentId: 'm-S1', taskId: 't1', uuid: '0b8f6f2e-1c1d-4c4e-9a5b-3f2e1d0c9b8a' },
      { type: 'RECONCILE', tasks: [{ taskId: 't1' }, { taskId: 't2', agentId: 'm-S1' }] },
      { type: 'REVIVE' },
      { type: 'SUPPRESS' },
      { type: 'TEARDOWN' },
    ];
    for (const call of calls) {
      const wire = JSON.parse(JSON.stringify(callToWire(FID, call))) as unknown;
      const back = callFromWire(wire);
      expect(back).toEqual({ ok: true, value: { frameworkId: FID, call } });
    }
  });

  it('writes what a Mesos author expects', () => {
    const wire = callToWire(FID, { type: 'ACKNOWLEDGE', agentId: 'm-S1', taskId: 't1', uuid: '0b8f6f2e-1c1d-4c4e-9a5b-3f2e1d0c9b8a' });
    expect(wire).toEqual({ framework_id: { value: FID }, type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: 'm-S1' }, task_id: { value: 't1' }, uuid: expect.any(String) } });
    // 16 raw bytes in base64, as Mesos sends uuids.
    expect(Buffer.from((wire.acknowledge as { uuid: string }).uuid, 'base64')).toHaveLength(16);
    const info = frameworkInfoToWire({ name: 'cron', role: 'batch', failoverTimeoutMs: 604_800_000, id: FID });
    expect(info).toMatchObject({ name: 'cron', roles: ['batch'], failover_timeout: 604800, id: { value: FID } });
  });

  it('round-trips events, with states and timestamps in Mesos form', () => {
    const status: TaskStatus = { taskId: 't1', frameworkId: FID, agentId: 'm-S1', state: 'FAILED', source: 'SOURCE_EXECUTOR', timestamp: 1735696800123, uuid: 'a1b2c3d4-0000-4000-8000-000000000001', reason: 'REASON_COMMAND_EXECUTOR_FAILED', message: 'exit 3', exitCode: 3, healthy: false, executorPid: 4242 };
    const events: Event[] = [
      { type: 'SUBSCRIBED', frameworkId: FID, heartbeatIntervalSeconds: 15 },
      { type: 'OFFERS', offers: [{ id: 'm-O1', frameworkId: FID, agentId: 'm-S1', hostname: 'h1', resources: res('cpus:4;mem:1024;ports:[31000-32000];disks:{a,b}'), attributes: { rack: 'r1' } }] },
      { type: 'RESCIND', offerId: 'm-O1' },
      { type: 'UPDATE', status },
      { type: 'HEARTBEAT' },
      { type: 'FAILURE', agentId: 'm-S1', message: 'agent removed' },
      { type: 'ERROR', message: 'framework removed' },
    ];
    for (const e of events) expect(eventFromWire(JSON.parse(JSON.stringify(eventToWire(e))), FID)).toEqual(e);
    const wire = eventToWire({ type: 'UPDATE', status }) as { update: { status: Record<string, unknown> } };
    expect(wire.update.status).toMatchObject({ state: 'TASK_FAILED', timestamp: 1735696800.123, task_id: { value: 't1' } });
  });

  it('refuses malformed calls naming the wire field, and never throws', () => {
    const bad = callFromWire({ type: 'ACCEPT', framework_id: { value: FID }, accept: { offer_ids: [{ value: 'o' }], operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 'x', task_id: { value: 't' }, agent_id: { value: 'a' }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: -1 } }], command: { value: 'true' } }] } }] } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.field).toMatch(/^accept\.operations\[0\]\.launch\.task_infos\[0\]\.resources/);
    for (const junk of [null, 1, 'x', [], { type: 'KILL' }, { type: 'KILL', framework_id: { value: FID }, kill: { task_id: 5 } }, { type: 'ACCEPT', framework_id: { value: FID }, accept: { offer_ids: 'o' } }]) {
      expect(callFromWire(junk).ok).toBe(false);
    }
    expect(frameworkInfoFromWire({ name: 'x', roles: ['a', 'b'] }).ok).toBe(false);
    expect(eventFromWire({ type: 'UPDATE', update: { status: { state: 'RUNNING' } } }, FID)).toBeUndefined();
  });

  it('maps the master’s field names back to wire paths', () => {
    expect(wireFieldOf('ACCEPT', 'operations[0].tasks[2].taskId')).toBe('accept.operations[0].launch.task_infos[2].task_id');
    expect(wireFieldOf('ACCEPT', 'offerIds[1]')).toBe('accept.offer_ids[1]');
    expect(wireFieldOf('DECLINE', 'filters.refuseSeconds')).toBe('decline.filters.refuse_seconds');
    expect(wireFieldOf('KILL', 'taskId')).toBe('kill.task_id');
    expect(wireFieldOf('KILL', 'killGracePeriodMs')).toBe('kill.kill_policy.grace_period');
    expect(wireFieldOf('ACKNOWLEDGE', 'uuid')).toBe('acknowledge.uuid');
    expect(wireFieldOf('RECONCILE', 'tasks[3].taskId')).toBe('reconcile.tasks[3].task_id');
  });

  it('keeps uuids exact, canonical or not', () => {
    for (const u of ['0b8f6f2e-1c1d-4c4e-9a5b-3f2e1d0c9b8a', 'not-a-uuid', 'x']) expect(uuidFromWire(uuidToWire(u))).toBe(u);
  });

  it('converts uuids exactly as base64 of the 16 bytes (canonical) or of the UTF-8 text (anything else), whatever the input', () => {
    // The plain Buffer formulation, as the reference.
    const toWire = (u: string): string => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(u) ? Buffer.from(u.replace(/-/g, ''), 'hex') : Buffer.from(u, 'utf8')).toString('base64');
    const fromWire = (b64: string): string => {
      const bytes = Buffer.from(b64, 'base64');
      if (bytes.length !== 16) return bytes.toString('utf8');
      const h = bytes.toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    };
    const texts = ['', 'x', 'not-a-uuid', 'héllo ✓', '0B8F6F2E-1C1D-4C4E-9A5B-3F2E1D0C9B8A', '0b8f6f2e-1c1d-4c4e-9a5b-3f2e1d0c9b8g', '0b8f6f2e1c1d4c4e9a5b3f2e1d0c9b8a', '0b8f6f2e-1c1d-4c4e-9a5b-3f2e1d0c9b8a ', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'];
    for (let i = 0; i < 200; i++) texts.push(randomUUID());
    for (const u of texts) {
      expect(uuidToWire(u)).toBe(toWire(u));
      expect(uuidFromWire(uuidToWire(u))).toBe(u);
    }
    // Wire text from other writers: unpadded, url-safe, whitespace, garbage, 16 bytes of any length, long text.
    const wires = ['', '=', 'AAAAAAAAAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAAAAAAAAA==', '_-_-_-_-_-_-_-_-_-_-_-==', 'AAAA AAAA AAAA AAAA AAAA AA==', '!!!!', 'AAAAAAAAAAAAAAAAAAAAAAAA', 'A'.repeat(43), 'A'.repeat(44), Buffer.from('x'.repeat(100)).toString('base64'), Buffer.from('héllo').toString('base64')];
    for (let i = 0; i < 200; i++) wires.push(randomBytes(i % 40).toString(i % 2 ? 'base64' : 'base64url'));
    for (const w of wires) expect(uuidFromWire(w)).toBe(fromWire(w));
  });
});

describe('RecordIO', () => {
  it('frames by byte length and reads records split anywhere, multi-byte text included', () => {
    const records = ['{"type":"HEARTBEAT"}', '{"message":"héllo ✓"}', '{}'];
    const stream = Buffer.from(records.map(recordioFrame).join(''), 'utf8');
    expect(recordioFrame('{"message":"é"}').startsWith('16\n')).toBe(true);
    for (const size of [1, 2, 3, 7, stream.length]) {
      const reader = new RecordIoReader();
      const out: string[] = [];
      for (let i = 0; i < stream.length; i += size) out.push(...reader.push(stream.subarray(i, i + size)));
      expect(out).toEqual(records);
    }
  });

  it('rejects a broken length header', () => {
    expect(() => new RecordIoReader().push(Buffer.from('abc\n{}'))).toThrow(/bad length/);
    expect(() => new RecordIoReader(10).push(Buffer.from('11\n'))).toThrow(/exceeds/);
  });
});
