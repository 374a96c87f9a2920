/**
 * The wire dialect of `POST /api/v1/scheduler`: Mesos v1 scheduler JSON (snake_case, `{value}` ids, resources as
 * `[{name, type, scalar|ranges|set}]`, states `TASK_*`, timestamps in seconds, uuids as base64 of 16 bytes) to and
 * from the SDK's protocol, for calls (events: scheduler-events-json.ts). Used by both ends: the master's HTTP route
 * decodes calls, the HTTP transport encodes them. Pure.
 *
 * Orrery extensions, beside the Mesos fields: `framework_info.weight`, `status.exit_code`, `status.signal`,
 * `failure.message`. Decoders take `unknown` and never throw: a bad value comes back as a CallError naming the
 * field by its wire path (`accept.operations[0].launch.task_infos[1].task_id`).
 */
import { ok } from '../errors/result.ts';
import { fromMesosJson, toMesosJson } from '../resources/mesos-json.ts';
import type { Call, CommandInfo, FrameworkInfo, Operation, TaskInfo } from './protocol.ts';
import { bad, idOf, isRecord, readId, uuidFromWire, uuidToWire, type Decoded, type Json } from './scheduler-wire.ts';

function labelsToWire(labels: Record<string, string>): { labels: Array<{ key: string; value: string }> } {
  return { labels: Object.entries(labels).map(([key, value]) => ({ key, value })) };
}

function readLabels(v: unknown, field: string): Decoded<Record<string, string> | undefined> {
  if (v === undefined) return ok(undefined);
  const list = isRecord(v) ? v.labels : undefined;
  if (!Array.isArray(list)) return bad(field, `${field} must be {"labels": [{"key", "value"}]}`);
  const out: Record<string, string> = {};
  for (let i = 0; i < list.length; i++) {
    const l = list[i] as unknown;
    if (!isRecord(l) || typeof l.key !== 'string' || (l.value !== undefined && typeof l.value !== 'string')) return bad(`${field}.labels[${i}]`, 'a label needs a string key and value');
    out[l.key] = (l.value as string | undefined) ?? '';
  }
  return ok(out);
}

// ── framework info ───────────────────────────────────────────────────────────────────────────────────────────

export function frameworkInfoToWire(info: FrameworkInfo): Json {
  const out: Json = { user: info.user ?? '', name: info.name, roles: [info.role ?? '*'], capabilities: [{ type: 'MULTI_ROLE' }] };
  if (info.id !== undefined) out.id = idOf(info.id);
  if (info.failoverTimeoutMs !== undefined) out.failover_timeout = info.failoverTimeoutMs / 1000;
  if (info.principal !== undefined) out.principal = info.principal;
  if (info.weight !== undefined) out.weight = info.weight;
  return out;
}

export function frameworkInfoFromWire(v: unknown, field = 'subscribe.framework_info'): Decoded<FrameworkInfo> {
  if (!isRecord(v)) return bad(field, `${field} must be an object`);
  const info: FrameworkInfo = { name: v.name as string };
  if (v.id !== undefined) {
    const id = readId(v.id, `${field}.id`);
    if (!id.ok) return id;
    info.id = id.value;
  }
  if (Array.isArray(v.roles)) {
    if (v.roles.length > 1) return bad(`${field}.roles`, 'a framework subscribes with one role');
    if (v.roles.length === 1) info.role = v.roles[0] as string;
  } else if (v.role !== undefined) {
    info.role = v.role as string;
  }
  if (v.failover_timeout !== undefined) {
    if (typeof v.failover_timeout !== 'number' || !Number.isFinite(v.failover_timeout)) return bad(`${field}.failover_timeout`, 'failover_timeout must be a number of seconds');
    info.failoverTimeoutMs = Math.round(v.failover_timeout * 1000);
  }
  if (v.principal !== undefined) info.principal = v.principal as string;
  if (v.user !== undefined && v.user !== '') info.user = v.user as string;
  if (v.weight !== undefined) info.weight = v.weight as number;
  return ok(info);
}

// ── tasks ────────────────────────────────────────────────────────────────────────────────────────────────────

function commandToWire(c: CommandInfo): Json {
  const out: Json = c.shell ? { shell: true, value: c.value } : { shell: false, value: c.arguments?.[0], arguments: c.arguments };
  if (c.env) out.environment = { variables: Object.entries(c.env).map(([name, value]) => ({ name, type: 'VALUE', value })) };
  if (c.uris) out.uris = c.uris.map((u) => ({ value: u.value, extract: u.extract, executable: u.executable, cache: u.cache, output_file: u.outputFile }));
  return out;
}

function commandFromWire(v: unknown, field: string): Decoded<CommandInfo> {
  if (!isRecord(v)) return bad(field, `${field} must be an object`);
  const shell = v.shell ?? true;
  if (typeof shell !== 'boolean') return bad(`${field}.shell`, 'shell must be a boolean');
  const c: CommandInfo = { shell };
  if (shell) c.value = v.value as string;
  else c.arguments = Array.isArray(v.arguments) && v.arguments.length > 0 ? (v.arguments as string[]) : typeof v.value === 'string' ? [v.value] : (v.arguments as string[]);
  if (v.environment !== undefined) {
    const vars = isRecord(v.environment) ? v.environment.variables : undefined;
    if (!Array.isArray(vars)) return bad(`${field}.environment`, 'environment must be {"variables": [{"name", "value"}]}');
    const env: Record<string, string> = {};
    for (let i = 0; i < vars.length; i++) {
      const e = vars[i] as unknown;
      if (!isRecord(e) || typeof e.name !== 'string' || typeof e.value !== 'string') return bad(`${field}.environment.variables[${i}]`, 'a variable needs a string name and value');
      if (e.type !== undefined && e.type !== 'VALUE') return bad(`${field}.environment.variables[${i}].type`, 'only VALUE variables are supported');
      env[e.name] = e.value;
    }
    c.env = env;
  }
  if (Array.isArray(v.uris)) {
    c.uris = (v.uris as unknown[]).filter(isRecord).map((u) => ({ value: u.value as string, extract: u.extract as boolean | undefined, executable: u.executable as boolean | undefined, cache: u.cache as boolean | undefined, outputFile: u.output_file as string | undefined }));
  }
  return ok(c);
}

export function taskInfoToWire(t: TaskInfo): Json {
  const out: Json = { name: t.name, task_id: idOf(t.taskId), agent_id: idOf(t.agentId), resources: toMesosJson(t.resources), command: commandToWire(t.command) };
  if (t.killGracePeriodMs !== undefined) out.kill_policy = { grace_period: { nanoseconds: t.killGracePeriodMs * 1e6 } };
  if (t.labels) out.labels = labelsToWire(t.labels);
  return out;
}

function graceFromWire(v: unknown, field: string): Decoded<number | undefined> {
  if (v === undefined) return ok(undefined);
  const ns = isRecord(v) && isRecord(v.grace_period) ? v.grace_period.nanoseconds : undefined;
  if (typeof ns !== 'number' || !Number.isFinite(ns) || ns < 0) return bad(`${field}.grace_period.nanoseconds`, 'kill_policy.grace_period.nanoseconds must be a non-negative number');
  return ok(Math.round(ns / 1e6));
}

export function taskInfoFromWire(v: unknown, field: string): Decoded<TaskInfo> {
  if (!isRecord(v)) return bad(field, `${field} must be an object`);
  const taskId = readId(v.task_id, `${field}.task_id`);
  if (!taskId.ok) return taskId;
  const agentId = readId(v.agent_id, `${field}.agent_id`);
  if (!agentId.ok) return agentId;
  const resources = fromMesosJson(v.resources ?? []);
  if (!resources.ok) return bad(`${field}.resources${resources.error.field ? `.${resources.error.field}` : ''}`, resources.error.message);
  const command = commandFromWire(v.command, `${field}.command`);
  if (!command.ok) return command;
  const grace = graceFromWire(v.kill_policy, `${field}.kill_policy`);
  if (!grace.ok) return grace;
  const labels = readLabels(v.labels, `${field}.labels`);
  if (!labels.ok) return labels;
  const t: TaskInfo = { taskId: taskId.value, name: v.name as string, agentId: agentId.value, resources: resources.value, command: command.value };
  if (grace.value !== undefined) t.killGracePeriodMs = grace.value;
  if (labels.value) t.labels = labels.value;
  return ok(t);
}

// ── calls ────────────────────────────────────────────────────────────────────────────────────────────────────

function filtersToWire(f: { refuseSeconds?: number } | undefined): Json | undefined {
  return f?.refuseSeconds === undefined ? undefined : { refuse_seconds: f.refuseSeconds };
}

function filtersFromWire(v: unknown, field: string): Decoded<{ refuseSeconds?: number } | undefined> {
  if (v === undefined) return ok(undefined);
  if (!isRecord(v)) return bad(field, `${field} must be an object`);
  return ok(v.refuse_seconds === undefined ? {} : { refuseSeconds: v.refuse_seconds as number });
}

function idList(v: unknown, field: string): Decoded<string[]> {
  if (!Array.isArray(v)) return bad(field, `${field} must be a list of {"value"} ids`);
  const out: string[] = [];
  for (let i = 0; i < v.length; i++) {
    const id = readId(v[i], `${field}[${i}]`);
    if (!id.ok) return id;
    out.push(id.value);
  }
  return ok(out);
}

/** The body of a call other than SUBSCRIBE, as the HTTP transport sends it. */
export function callToWire(frameworkId: string, call: Call): Json {
  const out: Json = { framework_id: idOf(frameworkId), type: call.type };
  switch (call.type) {
    case 'ACCEPT':
      out.accept = {
        offer_ids: call.offerIds.map(idOf),
        operations: call.operations.map((op) => ({ type: op.type, launch: { task_infos: op.tasks.map(taskInfoToWire) } })),
        filters: filtersToWire(call.filters),
      };
      break;
    case 'DECLINE':
      out.decline = { offer_ids: call.offerIds.map(idOf), filters: filtersToWire(call.filters) };
      break;
    case 'KILL':
      out.kill = { task_id: idOf(call.taskId), agent_id: call.agentId === undefined ? undefined : idOf(call.agentId), kill_policy: call.killGracePeriodMs === undefined ? undefined : { grace_period: { nanoseconds: call.killGracePeriodMs * 1e6 } } };
      break;
    case 'ACKNOWLEDGE':
      out.acknowledge = { agent_id: idOf(call.agentId), task_id: idOf(call.taskId), uuid: uuidToWire(call.uuid) };
      break;
    case 'RECONCILE':
      out.reconcile = { tasks: call.tasks.map((t) => (t.agentId === undefined ? { task_id: idOf(t.taskId) } : { task_id: idOf(t.taskId), agent_id: idOf(t.agentId) })) };
      break;
    case 'REVIVE':
    case 'SUPPRESS':
    case 'TEARDOWN':
      break;
  }
  return out;
}

function operationsFromWire(v: unknown, field: string): Decoded<Operation[]> {
  if (!Array.isArray(v)) return bad(field, `${field} must be a list`);
  const ops: Operation[] = [];
  for (let i = 0; i < v.length; i++) {
    const op = v[i] as unknown;
    const f = `${field}[${i}]`;
    if (!isRecord(op) || op.type !== 'LAUNCH') return bad(`${f}.type`, 'the only supported operation type is LAUNCH');
    const infos = isRecord(op.launch) ? op.launch.task_infos : undefined;
    if (!Array.isArray(infos)) return bad(`${f}.launch.task_infos`, 'LAUNCH needs launch.task_infos');
    const tasks: TaskInfo[] = [];
    for (let j = 0; j < infos.length; j++) {
      const t = taskInfoFromWire(infos[j], `${f}.launch.task_infos[${j}]`);
      if (!t.ok) return t;
      tasks.push(t.value);
    }
    ops.push({ type: 'LAUNCH', tasks });
  }
  return ok(ops);
}

/** A call body (not SUBSCRIBE) → the framework id it names and the protocol call. */
export function callFromWire(body: unknown): Decoded<{ frameworkId: string; call: Call }> {
  if (!isRecord(body)) return bad('body', 'a call must be a JSON object');
  const fid = readId(body.framework_id, 'framework_id');
  if (!fid.ok) return fid;
  const frameworkId = fid.value;
  const sub = (name: string): Json => (isRecord(body[name]) ? (body[name] as Json) : {});
  switch (body.type) {
    case 'ACCEPT': {
      const a = sub('accept');
      const ids = idList(a.offer_ids, 'accept.offer_ids');
      if (!ids.ok) return ids;
      const ops = operationsFromWire(a.operations ?? [], 'accept.operations');
      if (!ops.ok) return ops;
      const filters = filtersFromWire(a.filters, 'accept.filters');
      if (!filters.ok) return filters;
      return ok({ frameworkId, call: { type: 'ACCEPT', offerIds: ids.value, operations: ops.value, filters: filters.value } });
    }
    case 'DECLINE': {
      const d = sub('decline');
      const ids = idList(d.offer_ids, 'decline.offer_ids');
      if (!ids.ok) return ids;
      const filters = filtersFromWire(d.filters, 'decline.filters');
      if (!filters.ok) return filters;
      return ok({ frameworkId, call: { type: 'DECLINE', offerIds: ids.value, filters: filters.value } });
    }
    case 'KILL': {
      const k = sub('kill');
      const taskId = readId(k.task_id, 'kill.task_id');
      if (!taskId.ok) return taskId;
      const grace = graceFromWire(k.kill_policy, 'kill.kill_policy');
      if (!grace.ok) return grace;
      const call: Call = { type: 'KILL', taskId: taskId.value };
      if (isRecord(k.agent_id) && typeof k.agent_id.value === 'string') call.agentId = k.agent_id.value;
      if (grace.value !== undefined) call.killGracePeriodMs = grace.value;
      return ok({ frameworkId, call });
    }
    case 'ACKNOWLEDGE': {
      const a = sub('acknowledge');
      const taskId = readId(a.task_id, 'acknowledge.task_id');
      if (!taskId.ok) return taskId;
      const agentId = readId(a.agent_id, 'acknowledge.agent_id');
      if (!agentId.ok) return agentId;
      if (typeof a.uuid !== 'string') return bad('acknowledge.uuid', 'acknowledge.uuid must be the base64 uuid of the update');
      return ok({ frameworkId, call: { type: 'ACKNOWLEDGE', taskId: taskId.value, agentId: agentId.value, uuid: uuidFromWire(a.uuid) } });
    }
    case 'RECONCILE': {
      const list = sub('reconcile').tasks ?? [];
      if (!Array.isArray(list)) return bad('reconcile.tasks', 'reconcile.tasks must be a list');
      const tasks: Array<{ taskId: string; agentId?: string }> = [];
      for (let i = 0; i < list.length; i++) {
        const t = list[i] as unknown;
        const id = readId(isRecord(t) ? t.task_id : undefined, `reconcile.tasks[${i}].task_id`);
        if (!id.ok) return id;
        const aid = isRecord(t) && isRecord(t.agent_id) && typeof t.agent_id.value === 'string' ? t.agent_id.value : undefined;
        tasks.push(aid === undefined ? { taskId: id.value } : { taskId: id.value, agentId: aid });
      }
      return ok({ frameworkId, call: { type: 'RECONCILE', tasks } });
    }
    case 'REVIVE':
    case 'SUPPRESS':
    case 'TEARDOWN':
      return ok({ frameworkId, call: { type: body.type } });
    default:
      return bad('type', `call type ${JSON.stringify(body.type)} is not supported here`);
  }
}

/**
 * A field the master named in SDK terms (`operations[0].tasks[1].taskId`) → its wire path
 * (`accept.operations[0].launch.task_infos[1].task_id`), so errors name what the caller actually sent.
 */
export function wireFieldOf(callType: string, field: string): string {
  const key = callType.toLowerCase();
  return field
    .replace(/^frameworkInfo\b/, 'subscribe.framework_info')
    .replace(/^offerIds\b/, `${key}.offer_ids`)
    .replace(/^operations\[(\d+)\]\.tasks\b/, 'accept.operations[$1].launch.task_infos')
    .replace(/^operations\b/, 'accept.operations')
    .replace(/^filters\.refuseSeconds\b/, `${key}.filters.refuse_seconds`)
    .replace(/^filters\b/, `${key}.filters`)
    .replace(/^tasks\[(\d+)\]/, 'reconcile.tasks[$1]')
    .replace(/^(taskId|agentId|uuid|killGracePeriodMs)\b/, `${key}.$1`)
    .replace(/\.killGracePeriodMs\b/, '.kill_policy.grace_period')
    .replace(/\.failoverTimeoutMs\b/, '.failover_timeout')
    .replace(/\.taskId\b/, '.task_id')
    .replace(/\.agentId\b/, '.agent_id')
    .replace(/\.env\b/, '.environment');
}

