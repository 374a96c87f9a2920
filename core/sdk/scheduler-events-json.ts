/**
 * Events of the scheduler API's wire dialect (Mesos v1 JSON): SUBSCRIBED, OFFERS, RESCIND, UPDATE (TaskStatus with
 * `TASK_*` states, seconds, base64 uuids), HEARTBEAT, FAILURE, ERROR. The master's route encodes, the HTTP
 * transport decodes; decoders never throw and skip what they do not understand. Pure.
 */
import { fromMesosJson, toMesosJson } from '../resources/mesos-json.ts';
import type { Attributes } from '../resources/types.ts';
import type { Event, Offer, TaskState, TaskStatus } from './protocol.ts';
import { idOf, isRecord, readId, uuidFromWire, uuidToWire, type Json } from './scheduler-wire.ts';

function attributesToWire(a: Attributes): Array<{ name: string; type: 'TEXT'; text: { value: string } }> {
  return Object.entries(a).map(([name, value]) => ({ name, type: 'TEXT', text: { value } }));
}

function readAttributes(v: unknown): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(v)) return out;
  for (const a of v as unknown[]) {
    if (!isRecord(a) || typeof a.name !== 'string') continue;
    if (isRecord(a.text) && typeof a.text.value === 'string') out[a.name] = a.text.value;
    else if (isRecord(a.scalar) && typeof a.scalar.value === 'number') out[a.name] = String(a.scalar.value);
  }
  return out;
}

export function taskStatusToWire(s: TaskStatus): Json {
  const out: Json = { task_id: idOf(s.taskId), state: `TASK_${s.state}`, source: s.source, timestamp: s.timestamp / 1000 };
  if (s.agentId) out.agent_id = idOf(s.agentId);
  if (s.reason !== undefined) out.reason = s.reason;
  if (s.message !== undefined) out.message = s.message;
  if (s.uuid !== undefined) out.uuid = uuidToWire(s.uuid);
  if (s.healthy !== undefined) out.healthy = s.healthy;
  if (s.executorPid !== undefined) out.container_status = { executor_pid: s.executorPid };
  if (s.exitCode !== undefined) out.exit_code = s.exitCode;
  if (s.signal !== undefined) out.signal = s.signal;
  return out;
}

export function taskStatusFromWire(v: Json, frameworkId: string): TaskStatus | undefined {
  const taskId = readId(v.task_id, 'task_id');
  if (!taskId.ok || typeof v.state !== 'string' || !v.state.startsWith('TASK_')) return undefined;
  const s: TaskStatus = {
    taskId: taskId.value,
    frameworkId,
    agentId: isRecord(v.agent_id) && typeof v.agent_id.value === 'string' ? v.agent_id.value : '',
    state: v.state.slice(5) as TaskState,
    source: v.source as TaskStatus['source'],
    timestamp: typeof v.timestamp === 'number' ? Math.round(v.timestamp * 1000) : 0,
  };
  if (typeof v.reason === 'string') s.reason = v.reason as TaskStatus['reason'];
  if (typeof v.message === 'string') s.message = v.message;
  if (typeof v.uuid === 'string') s.uuid = uuidFromWire(v.uuid);
  if (typeof v.healthy === 'boolean') s.healthy = v.healthy;
  if (isRecord(v.container_status) && typeof v.container_status.executor_pid === 'number') s.executorPid = v.container_status.executor_pid;
  if (typeof v.exit_code === 'number') s.exitCode = v.exit_code;
  if (typeof v.signal === 'string') s.signal = v.signal;
  return s;
}

// ── offers ───────────────────────────────────────────────────────────────────────────────────────────────────

export function offerToWire(o: Offer): Json {
  return { id: idOf(o.id), framework_id: idOf(o.frameworkId), agent_id: idOf(o.agentId), hostname: o.hostname, resources: toMesosJson(o.resources), attributes: attributesToWire(o.attributes) };
}

function offerFromWire(v: unknown): Offer | undefined {
  if (!isRecord(v)) return undefined;
  const id = readId(v.id, 'id');
  const fid = readId(v.framework_id, 'framework_id');
  const aid = readId(v.agent_id, 'agent_id');
  const resources = fromMesosJson(v.resources ?? []);
  if (!id.ok || !fid.ok || !aid.ok || !resources.ok) return undefined;
  return { id: id.value, frameworkId: fid.value, agentId: aid.value, hostname: typeof v.hostname === 'string' ? v.hostname : '', resources: resources.value, attributes: readAttributes(v.attributes) };
}

// ── events ───────────────────────────────────────────────────────────────────────────────────────────────────

export function eventToWire(e: Event): Json {
  switch (e.type) {
    case 'SUBSCRIBED':
      return { type: 'SUBSCRIBED', subscribed: { framework_id: idOf(e.frameworkId), heartbeat_interval_seconds: e.heartbeatIntervalSeconds } };
    case 'OFFERS':
      return { type: 'OFFERS', offers: { offers: e.offers.map(offerToWire) } };
    case 'RESCIND':
      return { type: 'RESCIND', rescind: { offer_id: idOf(e.offerId) } };
    case 'UPDATE':
      return { type: 'UPDATE', update: { status: taskStatusToWire(e.status) } };
    case 'HEARTBEAT':
      return { type: 'HEARTBEAT' };
    case 'FAILURE':
      return { type: 'FAILURE', failure: { agent_id: idOf(e.agentId), message: e.message } };
    case 'ERROR':
      return { type: 'ERROR', error: { message: e.message } };
  }
}

/** An event record → the protocol event; undefined for a record this SDK does not understand (skipped). */
export function eventFromWire(v: unknown, frameworkId: string): Event | undefined {
  if (!isRecord(v)) return undefined;
  const sub = (name: string): Json => (isRecord(v[name]) ? (v[name] as Json) : {});
  switch (v.type) {
    case 'SUBSCRIBED': {
      const s = sub('subscribed');
      const id = readId(s.framework_id, 'framework_id');
      if (!id.ok) return undefined;
      return { type: 'SUBSCRIBED', frameworkId: id.value, heartbeatIntervalSeconds: typeof s.heartbeat_interval_seconds === 'number' ? s.heartbeat_interval_seconds : 15 };
    }
    case 'OFFERS': {
      const list = sub('offers').offers;
      if (!Array.isArray(list)) return undefined;
      const offers: Offer[] = [];
      for (const o of list) {
        const offer = offerFromWire(o);
        if (offer) offers.push(offer);
      }
      return { type: 'OFFERS', offers };
    }
    case 'RESCIND': {
      const id = readId(sub('rescind').offer_id, 'offer_id');
      return id.ok ? { type: 'RESCIND', offerId: id.value } : undefined;
    }
    case 'UPDATE': {
      const status = sub('update').status;
      const s = isRecord(status) ? taskStatusFromWire(status, frameworkId) : undefined;
      return s ? { type: 'UPDATE', status: s } : undefined;
    }
    case 'HEARTBEAT':
      return { type: 'HEARTBEAT' };
    case 'FAILURE': {
      const f = sub('failure');
      const aid = readId(f.agent_id, 'agent_id');
      return { type: 'FAILURE', agentId: aid.ok ? aid.value : '', message: typeof f.message === 'string' ? f.message : 'agent failure' };
    }
    case 'ERROR': {
      const m = sub('error').message;
      return { type: 'ERROR', message: typeof m === 'string' ? m : 'error' };
    }
    default:
      return undefined;
  }
}
