/**
 * Validation of what frameworks send the master (Mesos `src/master/validation.cpp` in spirit): every check
 * returns a CallError naming the offending field, and the caller applies nothing when one fails.
 * Input is `unknown` because the HTTP transport hands over parsed JSON as it came.
 */
import type { Resources } from '../resources/types.ts';
import type { CallError, CommandInfo, FrameworkInfo, TaskInfo, UriInfo } from '../sdk/protocol.ts';
import { err, ok, type Result } from '../errors/result.ts';
import { isValidId } from './ids.ts';
import { validateHealthCheck, validateUris } from './task-kit-validation.ts';

export const LIMITS = {
  name: 200,
  commandValue: 64 * 1024,
  arguments: 1000,
  argument: 16 * 1024,
  envVars: 1000,
  envValue: 32 * 1024,
  labels: 100,
  labelValue: 1024,
  tasksPerAccept: 10_000,
  maxGracePeriodMs: 3_600_000,
  maxScalar: 1e12,
} as const;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;
const RESOURCE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const ROLE = /^[A-Za-z0-9_.-]{1,64}$/;

type Check<T> = Result<T, CallError>;

const invalid = (field: string, message: string, code = 'INVALID_FIELD'): { ok: false; error: CallError } =>
  err({ code, field, message });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateString(v: unknown, field: string, max: number, min = 1): Check<string> {
  if (typeof v !== 'string') return invalid(field, `${field} must be a string`);
  if (v.length < min) return invalid(field, `${field} must not be empty`);
  if (v.length > max) return invalid(field, `${field} must be at most ${max} characters`);
  return ok(v);
}

export function validateId(v: unknown, field: string): Check<string> {
  if (!isValidId(v)) return invalid(field, `${field} must be 1-200 characters of A-Z a-z 0-9 _ . : -`);
  return ok(v);
}

/** A Resources struct as sent by a framework: finite non-negative scalars, integer ranges, string sets. */
export function validateResources(v: unknown, field: string): Check<Resources> {
  const problem = checkResources(v, field);
  return problem ?? ok(buildResources(v as Record<string, unknown>));
}

/** Every check of `validateResources`, allocating nothing that outlives the call. */
function checkResources(v: unknown, field: string): { ok: false; error: CallError } | undefined {
  if (!isRecord(v)) return invalid(field, `${field} must be an object with scalars, ranges and sets`);
  const scalars = v.scalars ?? {};
  const ranges = v.ranges ?? {};
  const sets = v.sets ?? {};
  if (!isRecord(scalars)) return invalid(`${field}.scalars`, 'scalars must be an object of numbers');
  if (!isRecord(ranges)) return invalid(`${field}.ranges`, 'ranges must be an object of [begin, end] lists');
  if (!isRecord(sets)) return invalid(`${field}.sets`, 'sets must be an object of string lists');
  for (const [name, value] of Object.entries(scalars)) {
    const f = `${field}.scalars.${name}`;
    if (!RESOURCE_NAME.test(name)) return invalid(f, `resource name '${name.slice(0, 64)}' is not valid`);
    if (typeof value !== 'number' || !Number.isFinite(value)) return invalid(f, `${name} must be a finite number`);
    if (value < 0) return invalid(f, `${name} must not be negative`);
    if (value > LIMITS.maxScalar) return invalid(f, `${name} is too large`);
  }
  for (const [name, value] of Object.entries(ranges)) {
    const f = `${field}.ranges.${name}`;
    if (!RESOURCE_NAME.test(name)) return invalid(f, `resource name '${name.slice(0, 64)}' is not valid`);
    if (!Array.isArray(value) || value.length > 10_000) return invalid(f, `${name} must be a list of [begin, end]`);
    for (const r of value) {
      if (!Array.isArray(r) || r.length !== 2 || !r.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff) || r[0] > r[1]) {
        return invalid(f, `${name} ranges must be [begin, end] with integers 0 <= begin <= end`);
      }
    }
  }
  for (const [name, value] of Object.entries(sets)) {
    const f = `${field}.sets.${name}`;
    if (!RESOURCE_NAME.test(name)) return invalid(f, `resource name '${name.slice(0, 64)}' is not valid`);
    if (!Array.isArray(value) || value.length > 10_000 || !value.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 256)) {
      return invalid(f, `${name} must be a list of non-empty strings`);
    }
  }
  return undefined;
}

/** The normalized copy of a value `checkResources` accepted. */
function buildResources(v: Record<string, unknown>): Resources {
  const out: Resources = { scalars: {}, ranges: {}, sets: {} };
  for (const [name, value] of Object.entries((v.scalars ?? {}) as Record<string, number>)) {
    if (value > 0) out.scalars[name] = Math.round(value * 1000) / 1000;
  }
  for (const [name, value] of Object.entries((v.ranges ?? {}) as Record<string, Array<[number, number]>>)) {
    if (value.length) out.ranges[name] = value.map((r) => [r[0], r[1]] as [number, number]);
  }
  for (const [name, value] of Object.entries((v.sets ?? {}) as Record<string, string[]>)) {
    if (value.length) out.sets[name] = [...new Set(value)].sort();
  }
  return out;
}

export function validateEnv(v: unknown, field: string): Check<Record<string, string> | undefined> {
  if (v === undefined) return ok(undefined);
  if (!isRecord(v)) return invalid(field, `${field} must be an object of strings`);
  const entries = Object.entries(v);
  if (entries.length > LIMITS.envVars) return invalid(field, `${field} has more than ${LIMITS.envVars} variables`);
  for (const [name, value] of entries) {
    if (!ENV_NAME.test(name)) return invalid(`${field}.${name.slice(0, 64)}`, `environment variable name '${name.slice(0, 64)}' is not valid`);
    if (typeof value !== 'string') return invalid(`${field}.${name}`, `${name} must be a string`);
    if (value.length > LIMITS.envValue) return invalid(`${field}.${name}`, `${name} is longer than ${LIMITS.envValue} characters`);
  }
  return ok(v as Record<string, string>);
}

export function validateCommand(v: unknown, field: string): Check<CommandInfo> {
  if (!isRecord(v)) return invalid(field, `${field} must be an object`);
  if (typeof v.shell !== 'boolean') return invalid(`${field}.shell`, 'shell must be a boolean');
  const env = validateEnv(v.env, `${field}.env`);
  if (!env.ok) return env;
  const uris = validateUris(v.uris, `${field}.uris`);
  if (!uris.ok) return uris;
  const withUris = (c: CommandInfo): CommandInfo => (uris.value?.length ? { ...c, uris: uris.value } : c);
  if (v.shell) {
    const value = validateString(v.value, `${field}.value`, LIMITS.commandValue);
    if (!value.ok) return value;
    return ok(withUris(env.value ? { shell: true, value: value.value, env: env.value } : { shell: true, value: value.value }));
  }
  const args = v.arguments;
  if (!Array.isArray(args) || args.length === 0) return invalid(`${field}.arguments`, 'arguments must list the program and its arguments');
  if (args.length > LIMITS.arguments) return invalid(`${field}.arguments`, `at most ${LIMITS.arguments} arguments`);
  for (let i = 0; i < args.length; i++) {
    const a = validateString(args[i], `${field}.arguments[${i}]`, LIMITS.argument, i === 0 ? 1 : 0);
    if (!a.ok) return a;
  }
  return ok(withUris(env.value ? { shell: false, arguments: args as string[], env: env.value } : { shell: false, arguments: args as string[] }));
}

function validateLabels(v: unknown, field: string): Check<Record<string, string> | undefined> {
  if (v === undefined) return ok(undefined);
  if (!isRecord(v)) return invalid(field, `${field} must be an object of strings`);
  const entries = Object.entries(v);
  if (entries.length > LIMITS.labels) return invalid(field, `at most ${LIMITS.labels} labels`);
  for (const [k, value] of entries) {
    if (k.length === 0 || k.length > 256) return invalid(field, 'label keys must be 1-256 characters');
    if (typeof value !== 'string' || value.length > LIMITS.labelValue) return invalid(`${field}.${k}`, `label ${k} must be a string of at most ${LIMITS.labelValue} characters`);
  }
  return ok(v as Record<string, string>);
}

/** Validated task resources, frozen and shared, by `requestKey` of the request (see `taskResources`). */
const interned = new Map<string, Resources>();
const INTERN_LIMIT = 10_000;

/**
 * The text of exactly what `checkResources` read (own enumerable entries, as JSON.stringify would not
 * guarantee for objects with a toJSON): equal keys mean equal checked data. Names cannot hold `=`, `;` or `|`.
 */
function requestKey(v: Record<string, unknown>): string {
  let key = '';
  for (const [name, value] of Object.entries((v.scalars ?? {}) as Record<string, number>)) key += `${name}=${value};`;
  key += '|';
  // Each range has exactly two numbers, so the flat list is unambiguous.
  for (const [name, value] of Object.entries((v.ranges ?? {}) as Record<string, number[][]>)) key += `${name}=${value.join(',')};`;
  key += '|';
  for (const [name, value] of Object.entries((v.sets ?? {}) as Record<string, string[]>)) key += `${name}=${JSON.stringify(value)};`;
  return key;
}

/**
 * Tasks of one framework mostly ask for the same resources; sharing one frozen object per distinct request keeps
 * 100,000 task records from holding 100,000 copies. The look-up is by a text of the request itself, after the
 * checks (which allocate nothing lasting), so the common case builds no copy at all: the same text means the
 * same data, hence the same normalized value. Bounded: past the limit new values are simply not shared.
 */
function taskResources(v: unknown, field: string): Check<Resources> {
  const problem = checkResources(v, field);
  if (problem) return problem;
  const key = requestKey(v as Record<string, unknown>);
  const hit = interned.get(key);
  if (hit) return ok(hit);
  const r = buildResources(v as Record<string, unknown>);
  if (interned.size >= INTERN_LIMIT) return ok(r);
  const frozen = Object.freeze({ scalars: Object.freeze(r.scalars), ranges: Object.freeze(r.ranges), sets: Object.freeze(r.sets) }) as Resources;
  interned.set(key, frozen);
  return ok(frozen);
}

const sharedCommands = new Map<string, CommandInfo>();
const SHARED_COMMAND_MAX_TEXT = 1024;

/**
 * Like resources, the tasks of an app or job run the same command: one frozen copy per distinct (short)
 * command instead of one per task. Long commands (big env, many arguments) are kept per task, not remembered.
 */
function sharedCommand(c: CommandInfo): CommandInfo {
  const key = JSON.stringify(c);
  if (key.length > SHARED_COMMAND_MAX_TEXT) return c;
  const hit = sharedCommands.get(key);
  if (hit) return hit;
  if (sharedCommands.size >= INTERN_LIMIT) return c;
  // A copy: the arguments and env are still the caller's own objects, not ours to freeze.
  const shared: CommandInfo = c.shell ? { shell: true, value: c.value } : { shell: false, arguments: Object.freeze([...(c.arguments ?? [])]) as string[] };
  if (c.env) shared.env = Object.freeze({ ...c.env });
  if (c.uris) shared.uris = Object.freeze(c.uris.map((u) => Object.freeze({ ...u }))) as UriInfo[];
  sharedCommands.set(key, Object.freeze(shared));
  return shared;
}

/** Structural checks of one TaskInfo; resource fit against the offer is checked by the caller. */
export function validateTaskInfo(v: unknown, field: string): Check<TaskInfo> {
  if (!isRecord(v)) return invalid(field, `${field} must be an object`);
  const taskId = validateId(v.taskId, `${field}.taskId`);
  if (!taskId.ok) return taskId;
  const name = validateString(v.name, `${field}.name`, LIMITS.name);
  if (!name.ok) return name;
  const agentId = validateId(v.agentId, `${field}.agentId`);
  if (!agentId.ok) return agentId;
  const resources = taskResources(v.resources, `${field}.resources`);
  if (!resources.ok) return resources;
  if (!resources.value.scalars.cpus && !resources.value.scalars.mem) {
    return invalid(`${field}.resources`, 'a task must use some cpus or mem');
  }
  const command = validateCommand(v.command, `${field}.command`);
  if (!command.ok) return command;
  const grace = v.killGracePeriodMs;
  if (grace !== undefined && (!Number.isInteger(grace) || (grace as number) < 0 || (grace as number) > LIMITS.maxGracePeriodMs)) {
    return invalid(`${field}.killGracePeriodMs`, `killGracePeriodMs must be an integer from 0 to ${LIMITS.maxGracePeriodMs}`);
  }
  const labels = validateLabels(v.labels, `${field}.labels`);
  if (!labels.ok) return labels;
  const healthCheck = validateHealthCheck(v.healthCheck, `${field}.healthCheck`);
  if (!healthCheck.ok) return healthCheck;
  const task: TaskInfo = {
    taskId: taskId.value,
    name: name.value,
    agentId: agentId.value,
    resources: resources.value,
    command: sharedCommand(command.value),
  };
  if (grace !== undefined) task.killGracePeriodMs = grace as number;
  if (labels.value) task.labels = labels.value;
  if (healthCheck.value) task.healthCheck = healthCheck.value;
  return ok(task);
}

export function validateFrameworkInfo(v: unknown): Check<Required<Pick<FrameworkInfo, 'name' | 'role' | 'weight' | 'failoverTimeoutMs'>> & FrameworkInfo> {
  if (!isRecord(v)) return invalid('frameworkInfo', 'frameworkInfo must be an object');
  const name = validateString(v.name, 'frameworkInfo.name', LIMITS.name);
  if (!name.ok) return name;
  if (v.id !== undefined) {
    const id = validateId(v.id, 'frameworkInfo.id');
    if (!id.ok) return id;
  }
  const role = v.role ?? '*';
  if (typeof role !== 'string' || (role !== '*' && (!ROLE.test(role) || role === '.' || role === '..' || role.startsWith('-')))) {
    return invalid('frameworkInfo.role', 'role must be * or 1-64 characters of A-Z a-z 0-9 _ . - not starting with -');
  }
  const weight = v.weight ?? 1;
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0 || weight > 1000) {
    return invalid('frameworkInfo.weight', 'weight must be a number greater than 0 and at most 1000');
  }
  const failover = v.failoverTimeoutMs ?? 0;
  if (typeof failover !== 'number' || !Number.isFinite(failover) || failover < 0 || failover > 365 * 24 * 3600 * 1000) {
    return invalid('frameworkInfo.failoverTimeoutMs', 'failoverTimeoutMs must be between 0 and one year');
  }
  for (const key of ['principal', 'user'] as const) {
    if (v[key] !== undefined) {
      const s = validateString(v[key], `frameworkInfo.${key}`, LIMITS.name);
      if (!s.ok) return s;
    }
  }
  return ok({ ...(v as unknown as FrameworkInfo), name: name.value, role, weight, failoverTimeoutMs: failover });
}

/** refuse_seconds: default 5 s, negative → default, capped at 365 days (Mesos `Filters`). */
export function refuseMs(filters: unknown): Check<number> {
  if (filters === undefined) return ok(5000);
  if (!isRecord(filters)) return invalid('filters', 'filters must be an object');
  const s = filters.refuseSeconds;
  if (s === undefined) return ok(5000);
  if (typeof s !== 'number' || Number.isNaN(s)) return invalid('filters.refuseSeconds', 'refuseSeconds must be a number');
  if (s < 0) return ok(5000);
  return ok(Math.min(s, 31_536_000) * 1000);
}

export function validateIdList(v: unknown, field: string, max = 10_000): Check<string[]> {
  if (!Array.isArray(v) || v.length === 0) return invalid(field, `${field} must be a non-empty list`);
  if (v.length > max) return invalid(field, `${field} has more than ${max} entries`);
  for (let i = 0; i < v.length; i++) {
    const id = validateId(v[i], `${field}[${i}]`);
    if (!id.ok) return id;
  }
  return ok(v as string[]);
}
