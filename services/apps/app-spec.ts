/**
 * The app model and its validation. Pure: `validateAppSpec` turns what a user sent into a canonical `AppSpec`
 * with every default filled in, or lists every offending field; nothing is applied when it fails.
 *
 * Ids are paths (`/prod/web`): segments of lowercase letters, digits, `-` and `.` (Marathon's rule), at most
 * 150 characters so task ids stay within the core's 200. A relative id (`prod/web`) is made absolute.
 */
import { err, ok, type Result } from '../../core/errors/result.ts';
import { constraintToJson, parseAppConstraints, type AppConstraint, type FieldIssue } from './app-constraints.ts';

export type { FieldIssue };

export const KillSelection = { YOUNGEST_FIRST: 'YOUNGEST_FIRST', OLDEST_FIRST: 'OLDEST_FIRST' } as const;
export type KillSelection = (typeof KillSelection)[keyof typeof KillSelection];

export const HEALTH_PROTOCOLS = ['HTTP', 'TCP', 'COMMAND'] as const;
export type HealthProtocol = (typeof HEALTH_PROTOCOLS)[number];

export interface PortSpec {
  /** Host port; 0 = any free port of the agent's `ports` ranges. */
  port: number;
  name?: string;
  protocol: 'tcp' | 'udp';
}

/** Marathon's `fetch` entry: a URI the agent fetches into the sandbox, with Mesos' options. */
export interface FetchSpec {
  uri: string;
  /** Unpack archives (default true). */
  extract?: boolean;
  /** chmod 755; disables extraction (default false). */
  executable?: boolean;
  /** Reuse the agent's cached download (default false). */
  cache?: boolean;
  /** Name in the sandbox (Marathon's `destPath`). */
  outputFile?: string;
}

export interface HealthCheckSpec {
  protocol: HealthProtocol;
  /** HTTP: the path to GET; 200–399 within the timeout is a pass. */
  path?: string;
  /** HTTP/TCP: index into the instance's host ports. */
  portIndex?: number;
  /** COMMAND: run with /bin/sh -c; exit 0 is a pass. */
  command?: string;
  gracePeriodSeconds: number;
  intervalSeconds: number;
  timeoutSeconds: number;
  /** Replace the instance after this many consecutive failures; 0 = never. */
  maxConsecutiveFailures: number;
}

export interface UpgradeStrategy {
  minimumHealthCapacity: number;
  maximumOverCapacity: number;
}

export interface AppSpec {
  id: string;
  cmd?: string;
  args?: string[];
  env: Record<string, string>;
  instances: number;
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
  /** Custom scalar resources per instance, e.g. `{ "cassandra-slot": 1 }`. */
  resources: Record<string, number>;
  ports: PortSpec[];
  constraints: AppConstraint[];
  healthChecks: HealthCheckSpec[];
  upgradeStrategy: UpgradeStrategy;
  backoffSeconds: number;
  backoffFactor: number;
  maxLaunchDelaySeconds: number;
  killSelection: KillSelection;
  taskKillGracePeriodSeconds?: number;
  labels: Record<string, string>;
  uris: string[];
  /** URIs with options; only present when given. */
  fetch?: FetchSpec[];
  /** A deployment that makes no progress for this long fails. */
  progressDeadlineSeconds: number;
  /** On a failed deployment, deploy the previous definition again. */
  autoRollback: boolean;
}

export const LIMITS = {
  idLength: 150,
  cmd: 64 * 1024,
  args: 1000,
  arg: 16 * 1024,
  envVars: 1000,
  envValue: 32 * 1024,
  instances: 10_000,
  labels: 100,
  labelKey: 256,
  labelValue: 1024,
  ports: 100,
  healthChecks: 10,
  uris: 100,
  uri: 4096,
} as const;

const SEGMENT = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
/** Last segments that would be read as sub-resources by the Marathon routes (`/v2/apps/x/tasks`). */
export const RESERVED_LAST_SEGMENTS = ['tasks', 'versions', 'restart'] as const;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;
const RESOURCE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const PORT_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const BUILTIN_RESOURCES = new Set(['cpus', 'mem', 'disk', 'gpus', 'ports']);
const SPEC_FIELDS = new Set([
  'id', 'cmd', 'args', 'env', 'instances', 'cpus', 'mem', 'disk', 'gpus', 'resources', 'ports', 'constraints', 'healthChecks',
  'upgradeStrategy', 'backoffSeconds', 'backoffFactor', 'maxLaunchDelaySeconds', 'killSelection', 'taskKillGracePeriodSeconds',
  'labels', 'uris', 'fetch', 'progressDeadlineSeconds', 'autoRollback',
]);
const URI = /^(https?:\/\/|file:\/\/|\/)\S+$/;

/** `prod/web` → `/prod/web`; an error message when it is not a valid app id. */
export function normalizeAppId(raw: string): Result<string, string> {
  const id = raw.startsWith('/') ? raw : `/${raw}`;
  if (id.length > LIMITS.idLength) return err(`must be at most ${LIMITS.idLength} characters`);
  const segments = id.slice(1).split('/');
  if (segments.length === 0 || segments.some((s) => !SEGMENT.test(s))) {
    return err(`'${raw.slice(0, 64)}' is not an app id: path segments of a-z, 0-9, '-' and '.' (starting and ending with a letter or digit), e.g. /prod/web`);
  }
  const last = segments[segments.length - 1];
  if ((RESERVED_LAST_SEGMENTS as readonly string[]).includes(last)) return err(`the last segment may not be '${last}' (reserved)`);
  return ok(id);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects issues while reading fields with defaults. */
class Reader {
  readonly issues: FieldIssue[] = [];
  constructor(readonly at: string) {}

  fail(field: string, message: string): undefined {
    this.issues.push({ field, message });
    return undefined;
  }

  num(o: Obj, key: string, at: string, dflt: number, opts: { min: number; max: number; integer?: boolean; exclusiveMin?: boolean }): number {
    const v = o[key];
    if (v === undefined || v === null) return dflt;
    const f = `${at}.${key}`;
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.fail(f, 'must be a number') ?? dflt;
    if (opts.integer && !Number.isInteger(v)) return this.fail(f, 'must be an integer') ?? dflt;
    if (opts.exclusiveMin ? v <= opts.min : v < opts.min) return this.fail(f, `must be ${opts.exclusiveMin ? '>' : '>='} ${opts.min}`) ?? dflt;
    if (v > opts.max) return this.fail(f, `must be <= ${opts.max}`) ?? dflt;
    return v;
  }

  str(o: Obj, key: string, at: string, max: number): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    const f = `${at}.${key}`;
    if (typeof v !== 'string') return this.fail(f, 'must be a string');
    if (v.length === 0) return this.fail(f, 'must not be empty');
    if (v.length > max) return this.fail(f, `must be at most ${max} characters`);
    return v;
  }

  stringMap(o: Obj, key: string, at: string, opts: { maxEntries: number; keyRe?: RegExp; maxKey?: number; maxValue: number }): Record<string, string> {
    const v = o[key];
    if (v === undefined || v === null) return {};
    const f = `${at}.${key}`;
    if (!isObj(v)) return this.fail(f, 'must be an object of strings') ?? {};
    const entries = Object.entries(v);
    if (entries.length > opts.maxEntries) return this.fail(f, `at most ${opts.maxEntries} entries`) ?? {};
    const out: Record<string, string> = {};
    for (const [k, val] of entries) {
      if (opts.keyRe ? !opts.keyRe.test(k) : k.length === 0 || k.length > (opts.maxKey ?? 256)) {
        this.fail(`${f}.${k.slice(0, 64)}`, 'is not a valid name');
      } else if (typeof val !== 'string') {
        this.fail(`${f}.${k}`, isObj(val) && 'secret' in val ? 'secret references are not supported; give the value' : 'must be a string');
      } else if (val.length > opts.maxValue) {
        this.fail(`${f}.${k}`, `must be at most ${opts.maxValue} characters`);
      } else out[k] = val;
    }
    return out;
  }
}

function readPorts(r: Reader, o: Obj): PortSpec[] {
  const v = o.ports;
  const at = `${r.at}.ports`;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > LIMITS.ports) return r.fail(at, `must be a list of at most ${LIMITS.ports} ports`) ?? [];
  const out: PortSpec[] = [];
  const names = new Set<string>();
  const fixed = new Set<number>();
  v.forEach((p: unknown, i) => {
    const f = `${at}[${i}]`;
    if (!isObj(p)) return r.fail(f, 'must be an object { port?, name?, protocol? }');
    for (const k of Object.keys(p)) if (!['port', 'name', 'protocol'].includes(k)) r.fail(`${f}.${k}`, 'is not allowed');
    const port = r.num(p, 'port', f, 0, { min: 0, max: 65535, integer: true });
    if (port > 0 && fixed.has(port)) r.fail(`${f}.port`, `port ${port} is listed twice`);
    if (port > 0) fixed.add(port);
    const spec: PortSpec = { port, protocol: 'tcp' };
    const name = r.str(p, 'name', f, 63);
    if (name !== undefined) {
      if (!PORT_NAME.test(name)) r.fail(`${f}.name`, 'must be lowercase letters, digits and -, starting with a letter');
      else if (names.has(name)) r.fail(`${f}.name`, `name '${name}' is used twice`);
      names.add(name);
      spec.name = name;
    }
    if (p.protocol !== undefined && p.protocol !== 'tcp' && p.protocol !== 'udp') r.fail(`${f}.protocol`, "must be 'tcp' or 'udp'");
    else if (p.protocol === 'udp') spec.protocol = 'udp';
    out.push(spec);
  });
  return out;
}

function readFetch(r: Reader, v: unknown, at: string, uriCount: number): FetchSpec[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length + uriCount > LIMITS.uris) return r.fail(at, `must be a list of at most ${LIMITS.uris} URIs (with uris)`) ?? [];
  const out: FetchSpec[] = [];
  v.forEach((f: unknown, i) => {
    const at_ = `${at}[${i}]`;
    if (!isObj(f)) return r.fail(at_, 'must be an object with a uri');
    for (const k of Object.keys(f)) if (!['uri', 'extract', 'executable', 'cache', 'outputFile'].includes(k)) r.fail(`${at_}.${k}`, 'is not allowed');
    if (typeof f.uri !== 'string' || f.uri.length > LIMITS.uri || !URI.test(f.uri)) return r.fail(`${at_}.uri`, 'must be an http(s)://, file:// URI or an absolute path');
    const spec: FetchSpec = { uri: f.uri };
    for (const k of ['extract', 'executable', 'cache'] as const) {
      if (f[k] === undefined) continue;
      if (typeof f[k] !== 'boolean') r.fail(`${at_}.${k}`, 'must be a boolean');
      else spec[k] = f[k];
    }
    if (f.outputFile !== undefined) {
      const o = f.outputFile;
      if (typeof o !== 'string' || o === '' || o.length > 1024 || o.startsWith('/') || o.split('/').includes('..')) r.fail(`${at_}.outputFile`, 'must be a relative path inside the sandbox');
      else spec.outputFile = o;
    }
    out.push(spec);
  });
  return out;
}

function readHealthChecks(r: Reader, o: Obj, portCount: number): HealthCheckSpec[] {
  const v = o.healthChecks;
  const at = `${r.at}.healthChecks`;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > LIMITS.healthChecks) return r.fail(at, `must be a list of at most ${LIMITS.healthChecks} checks`) ?? [];
  const out: HealthCheckSpec[] = [];
  const allowed = ['protocol', 'path', 'portIndex', 'command', 'gracePeriodSeconds', 'intervalSeconds', 'timeoutSeconds', 'maxConsecutiveFailures'];
  v.forEach((h: unknown, i) => {
    const f = `${at}[${i}]`;
    if (!isObj(h)) return r.fail(f, 'must be an object');
    for (const k of Object.keys(h)) if (!allowed.includes(k)) r.fail(`${f}.${k}`, 'is not allowed');
    const protocol = (h.protocol ?? 'HTTP') as HealthProtocol;
    if (!(HEALTH_PROTOCOLS as readonly string[]).includes(protocol)) return r.fail(`${f}.protocol`, `must be one of ${HEALTH_PROTOCOLS.join(', ')}`);
    const check: HealthCheckSpec = {
      protocol,
      gracePeriodSeconds: r.num(h, 'gracePeriodSeconds', f, 300, { min: 0, max: 86400 }),
      intervalSeconds: r.num(h, 'intervalSeconds', f, 60, { min: 0.05, max: 86400 }),
      timeoutSeconds: r.num(h, 'timeoutSeconds', f, 20, { min: 0.01, max: 86400 }),
      maxConsecutiveFailures: r.num(h, 'maxConsecutiveFailures', f, 3, { min: 0, max: 1000, integer: true }),
    };
    if (protocol === 'COMMAND') {
      const command = r.str(h, 'command', f, LIMITS.cmd);
      if (command === undefined && h.command === undefined) r.fail(`${f}.command`, 'is required for a COMMAND check');
      if (command !== undefined) check.command = command;
      if (h.path !== undefined) r.fail(`${f}.path`, 'only HTTP checks have a path');
    } else {
      if (h.command !== undefined) r.fail(`${f}.command`, 'only COMMAND checks have a command');
      const portIndex = r.num(h, 'portIndex', f, 0, { min: 0, max: LIMITS.ports, integer: true });
      if (portIndex >= portCount) {
        r.fail(`${f}.portIndex`, portCount === 0 ? 'the app has no ports to check; add one to ports' : `is out of range: the app has ${portCount} port(s) (0..${portCount - 1})`);
      }
      check.portIndex = portIndex;
      if (protocol === 'HTTP') {
        const path = r.str(h, 'path', f, 1024) ?? '/';
        if (!path.startsWith('/')) r.fail(`${f}.path`, "must start with '/'");
        check.path = path;
      } else if (h.path !== undefined) r.fail(`${f}.path`, 'only HTTP checks have a path');
    }
    out.push(check);
  });
  return out;
}

function readCommand(r: Reader, o: Obj, spec: Partial<AppSpec>): void {
  const cmd = r.str(o, 'cmd', r.at, LIMITS.cmd);
  const args = o.args;
  if (cmd !== undefined && args !== undefined && args !== null) r.fail(`${r.at}.args`, 'give either cmd or args, not both');
  if (cmd !== undefined) spec.cmd = cmd;
  else if (args !== undefined && args !== null) {
    if (!Array.isArray(args) || args.length === 0 || args.length > LIMITS.args || !args.every((a) => typeof a === 'string' && a.length <= LIMITS.arg)) {
      r.fail(`${r.at}.args`, `must be a non-empty list of at most ${LIMITS.args} strings`);
    } else spec.args = args as string[];
  } else if (o.cmd === undefined) r.fail(`${r.at}.cmd`, 'cmd or args is required');
}

/**
 * A canonical AppSpec from user input (already JSON), or every issue found, each naming its field as
 * `<at>.healthChecks[0].portIndex`. Unknown fields are refused.
 */
export function validateAppSpec(input: unknown, at = 'body'): Result<AppSpec, FieldIssue[]> {
  const r = new Reader(at);
  if (!isObj(input)) return err([{ field: at, message: 'must be an object' }]);
  for (const k of Object.keys(input)) if (!SPEC_FIELDS.has(k)) r.fail(`${at}.${k}`, 'is not allowed');
  let id = '';
  if (typeof input.id !== 'string') r.fail(`${at}.id`, 'is required (a path such as /prod/web)');
  else {
    const n = normalizeAppId(input.id);
    if (n.ok) id = n.value;
    else r.fail(`${at}.id`, n.error);
  }
  const spec: Partial<AppSpec> = { id };
  readCommand(r, input, spec);
  spec.env = r.stringMap(input, 'env', at, { maxEntries: LIMITS.envVars, keyRe: ENV_NAME, maxValue: LIMITS.envValue });
  spec.instances = r.num(input, 'instances', at, 1, { min: 0, max: LIMITS.instances, integer: true });
  spec.cpus = r.num(input, 'cpus', at, 1, { min: 0, max: 100_000 });
  spec.mem = r.num(input, 'mem', at, 128, { min: 0, max: 1e9 });
  spec.disk = r.num(input, 'disk', at, 0, { min: 0, max: 1e12 });
  spec.gpus = r.num(input, 'gpus', at, 0, { min: 0, max: 1024, integer: true });
  if (spec.cpus === 0 && spec.mem === 0) r.fail(`${at}.cpus`, 'an instance must use some cpus or mem');
  spec.resources = {};
  if (input.resources !== undefined && input.resources !== null) {
    if (!isObj(input.resources)) r.fail(`${at}.resources`, 'must be an object of resource name → amount');
    else {
      for (const [name, amount] of Object.entries(input.resources)) {
        if (!RESOURCE_NAME.test(name) || BUILTIN_RESOURCES.has(name)) r.fail(`${at}.resources.${name.slice(0, 64)}`, 'is not a custom resource name (cpus, mem, disk, gpus and ports have their own fields)');
        else if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0 || amount > 1e12) r.fail(`${at}.resources.${name}`, 'must be a number >= 0');
        else spec.resources[name] = amount;
      }
    }
  }
  spec.ports = readPorts(r, input);
  const constraints = parseAppConstraints(input.constraints, `${at}.constraints`);
  if (constraints.ok) spec.constraints = constraints.value;
  else r.issues.push(...constraints.error);
  spec.healthChecks = readHealthChecks(r, input, spec.ports.length);
  spec.upgradeStrategy = { minimumHealthCapacity: 1, maximumOverCapacity: 1 };
  if (input.upgradeStrategy !== undefined && input.upgradeStrategy !== null) {
    const u = input.upgradeStrategy;
    const f = `${at}.upgradeStrategy`;
    if (!isObj(u)) r.fail(f, 'must be an object');
    else {
      for (const k of Object.keys(u)) if (k !== 'minimumHealthCapacity' && k !== 'maximumOverCapacity') r.fail(`${f}.${k}`, 'is not allowed');
      spec.upgradeStrategy = {
        minimumHealthCapacity: r.num(u, 'minimumHealthCapacity', f, 1, { min: 0, max: 1 }),
        maximumOverCapacity: r.num(u, 'maximumOverCapacity', f, 1, { min: 0, max: 1 }),
      };
    }
  }
  spec.backoffSeconds = r.num(input, 'backoffSeconds', at, 1, { min: 0, max: 3600 });
  spec.backoffFactor = r.num(input, 'backoffFactor', at, 1.15, { min: 1, max: 100 });
  spec.maxLaunchDelaySeconds = r.num(input, 'maxLaunchDelaySeconds', at, 300, { min: 0, max: 86400 });
  spec.killSelection = KillSelection.YOUNGEST_FIRST;
  if (input.killSelection !== undefined && input.killSelection !== null) {
    if (input.killSelection !== 'YOUNGEST_FIRST' && input.killSelection !== 'OLDEST_FIRST') r.fail(`${at}.killSelection`, 'must be YOUNGEST_FIRST or OLDEST_FIRST');
    else spec.killSelection = input.killSelection;
  }
  if (input.taskKillGracePeriodSeconds !== undefined && input.taskKillGracePeriodSeconds !== null) {
    spec.taskKillGracePeriodSeconds = r.num(input, 'taskKillGracePeriodSeconds', at, 3, { min: 0, max: 3600 });
  }
  spec.labels = r.stringMap(input, 'labels', at, { maxEntries: LIMITS.labels, maxKey: LIMITS.labelKey, maxValue: LIMITS.labelValue });
  spec.uris = [];
  if (input.uris !== undefined && input.uris !== null) {
    const u = input.uris;
    if (!Array.isArray(u) || u.length > LIMITS.uris) r.fail(`${at}.uris`, `must be a list of at most ${LIMITS.uris} URIs`);
    else {
      u.forEach((x: unknown, i) => {
        if (typeof x !== 'string' || x.length > LIMITS.uri || !URI.test(x)) r.fail(`${at}.uris[${i}]`, 'must be an http(s)://, file:// URI or an absolute path');
        else spec.uris!.push(x);
      });
    }
  }
  const fetch = readFetch(r, input.fetch, `${at}.fetch`, (spec.uris?.length ?? 0));
  if (fetch.length) spec.fetch = fetch;
  spec.progressDeadlineSeconds = r.num(input, 'progressDeadlineSeconds', at, 600, { min: 0, max: 7 * 86400, exclusiveMin: true });
  spec.autoRollback = false;
  if (input.autoRollback !== undefined && input.autoRollback !== null) {
    if (typeof input.autoRollback !== 'boolean') r.fail(`${at}.autoRollback`, 'must be a boolean');
    else spec.autoRollback = input.autoRollback;
  }
  if (spec.maxLaunchDelaySeconds < spec.backoffSeconds) r.fail(`${at}.maxLaunchDelaySeconds`, `must be >= backoffSeconds (${spec.backoffSeconds})`);
  return r.issues.length ? err(r.issues) : ok(spec as AppSpec);
}

/** The definition as JSON (what GET returns and what versions store), optional fields only when set. */
export function appSpecToJson(spec: AppSpec): Record<string, unknown> {
  const { constraints, ...rest } = spec;
  return { ...rest, constraints: constraints.map(constraintToJson) };
}
