/**
 * Marathon's app JSON ⇄ ours. Pure. Accepts Marathon's documented fields (RAML `v2/types/app.raml`): read-only
 * fields are ignored on input, as Marathon does; fields that only matter for features Orrery does not have
 * (groups' `dependencies`, `readinessChecks`, `unreachableStrategy`, `networks` in host mode, roles) are ignored;
 * fields it cannot honour (Docker `container`, `secrets`, HTTPS checks) are refused with the field named.
 */
import { err, ok, type Result } from '../../core/errors/result.ts';
import type { FieldIssue } from './app-spec.ts';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Marathon fields passed through to our definition under the same name. */
const SAME = ['id', 'cmd', 'args', 'env', 'instances', 'cpus', 'mem', 'disk', 'gpus', 'constraints', 'upgradeStrategy', 'backoffSeconds', 'backoffFactor', 'maxLaunchDelaySeconds', 'killSelection', 'taskKillGracePeriodSeconds', 'labels'];
/** Read-only status or features with no effect here: accepted and ignored. */
const IGNORED = [
  'version', 'versionInfo', 'tasksStaged', 'tasksRunning', 'tasksHealthy', 'tasksUnhealthy', 'deployments', 'tasks', 'lastTaskFailure', 'readinessCheckResults',
  'tasksStats', 'taskStats', 'dependencies', 'readinessChecks', 'unreachableStrategy', 'networks', 'ipAddress', 'acceptedResourceRoles', 'role', 'user',
  'executorResources', 'resourceLimits', 'storeUrls', 'check', 'tty', 'residency',
];
/** Translated below. */
const TRANSLATED = ['requirePorts', 'portDefinitions', 'ports', 'fetch', 'uris', 'healthChecks', 'container', 'secrets', 'executor'];
const KNOWN = new Set([...SAME, ...IGNORED, ...TRANSLATED]);

const HEALTH_MAP: Record<string, string> = { HTTP: 'HTTP', MESOS_HTTP: 'HTTP', TCP: 'TCP', MESOS_TCP: 'TCP', COMMAND: 'COMMAND' };

/**
 * Our definition (as `validateAppSpec` takes it) from a Marathon app, or the Marathon fields that cannot be
 * honoured. Values are passed through unchecked: validation names them afterwards (`body.x`, same names).
 */
export function fromMarathonApp(m: unknown): Result<Json, FieldIssue[]> {
  if (!isObj(m)) return err([{ field: 'body', message: 'must be an object' }]);
  const issues: FieldIssue[] = [];
  const out: Json = {};
  for (const k of SAME) if (m[k] !== undefined && m[k] !== null) out[k] = m[k];
  for (const k of Object.keys(m)) {
    if (!KNOWN.has(k)) issues.push({ field: `body.${k}`, message: 'is not a Marathon app field Orrery knows' });
  }
  if (isObj(m.env)) {
    for (const [k, v] of Object.entries(m.env)) if (isObj(v)) issues.push({ field: `body.env.${k}`, message: 'secret references are not supported' });
  }
  if (m.container !== undefined && m.container !== null) {
    const c = m.container;
    if (!isObj(c) || c.type === 'DOCKER' || isObj(c.docker) || (isObj(c) && c.volumes !== undefined && Array.isArray(c.volumes) && c.volumes.length > 0)) {
      issues.push({ field: 'body.container', message: 'containers (Docker images, volumes) are not supported: tasks run as commands in a sandbox' });
    }
  }
  if (isObj(m.secrets) && Object.keys(m.secrets).length > 0) issues.push({ field: 'body.secrets', message: 'secrets are not supported' });
  if (m.executor !== undefined && m.executor !== null && m.executor !== '' && m.executor !== '//cmd') issues.push({ field: 'body.executor', message: 'custom executors are not supported' });

  // Ports: portDefinitions (or the deprecated ports); Marathon's default is one dynamic port.
  const requirePorts = m.requirePorts === true;
  let defs: unknown[] | undefined;
  if (Array.isArray(m.portDefinitions)) defs = m.portDefinitions;
  else if (Array.isArray(m.ports)) defs = m.ports.map((p) => ({ port: p }));
  else if (m.portDefinitions === undefined && m.ports === undefined) defs = [{ port: 0 }];
  out.ports = (defs ?? []).map((d, i) => {
    if (!isObj(d)) {
      issues.push({ field: `body.portDefinitions[${i}]`, message: 'must be an object' });
      return {};
    }
    const p: Json = { port: requirePorts && typeof d.port === 'number' ? d.port : 0 };
    if (typeof d.name === 'string') p.name = d.name;
    if (d.protocol === 'udp' || d.protocol === 'tcp') p.protocol = d.protocol;
    else if (d.protocol !== undefined) issues.push({ field: `body.portDefinitions[${i}].protocol`, message: "must be 'tcp' or 'udp'" });
    return p;
  });

  if (Array.isArray(m.healthChecks)) {
    out.healthChecks = m.healthChecks.map((h, i) => {
      if (!isObj(h)) return h;
      const protocol = HEALTH_MAP[String(h.protocol ?? 'HTTP')];
      if (!protocol) issues.push({ field: `body.healthChecks[${i}].protocol`, message: `${String(h.protocol)} checks are not supported (HTTP, TCP, COMMAND and their MESOS_ forms are)` });
      if (h.port !== undefined) issues.push({ field: `body.healthChecks[${i}].port`, message: 'give portIndex instead of a fixed port' });
      const c: Json = { protocol: protocol ?? 'HTTP' };
      for (const k of ['path', 'portIndex', 'gracePeriodSeconds', 'intervalSeconds', 'timeoutSeconds', 'maxConsecutiveFailures']) if (h[k] !== undefined) c[k] = h[k];
      if (protocol === 'COMMAND') c.command = isObj(h.command) ? h.command.value : h.command;
      if (protocol !== 'HTTP') delete c.path;
      return c;
    });
  }

  // `fetch` supersedes the deprecated `uris` (Marathon sends both, with the same URIs); its options are kept
  // (`destPath` is Marathon's name for the file name in the sandbox).
  if (Array.isArray(m.fetch) && m.fetch.length > 0) {
    out.fetch = m.fetch.map((f: unknown) => {
      if (!isObj(f)) return { uri: f };
      const o: Record<string, unknown> = { uri: f.uri };
      for (const k of ['extract', 'executable', 'cache']) if (f[k] !== undefined) o[k] = f[k];
      if (f.destPath !== undefined) o.outputFile = f.destPath;
      return o;
    });
  } else if (Array.isArray(m.uris) && m.uris.length) out.uris = [...m.uris];
  return issues.length ? err(issues) : ok(out);
}

/** `body.healthChecks[0].portIndex` → Marathon's `/healthChecks/0/portIndex`. */
export function marathonPath(field: string): string {
  const rest = field.replace(/^body\.?/, '');
  if (!rest) return '/';
  return `/${rest.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '').split('.').join('/')}`;
}

export function marathonDetails(fields: readonly FieldIssue[]): Array<{ path: string; errors: string[] }> {
  const byPath = new Map<string, string[]>();
  for (const f of fields) {
    const p = marathonPath(f.field);
    byPath.set(p, [...(byPath.get(p) ?? []), f.message]);
  }
  return [...byPath].map(([path, errors]) => ({ path, errors }));
}

const ACTIONS: Record<string, string> = { START: 'StartApplication', SCALE: 'ScaleApplication', RESTART: 'RestartApplication', STOP: 'StopApplication' };

/** Marathon's task JSON from ours. */
export function toMarathonTask(t: Json): Json {
  const out: Json = {
    id: t.id,
    appId: t.appId,
    host: t.host,
    ports: t.ports,
    servicePorts: [],
    slaveId: t.agentId,
    agentId: t.agentId,
    state: `TASK_${String(t.state)}`,
    stagedAt: t.stagedAt,
    version: t.version,
    ipAddresses: [],
    localVolumes: [],
    healthCheckResults: ((t.healthCheckResults as Json[] | undefined) ?? []).map((h) => ({
      alive: h.alive ?? false,
      consecutiveFailures: h.consecutiveFailures,
      firstSuccess: h.firstSuccess ?? null,
      lastSuccess: h.lastSuccess ?? null,
      lastFailure: h.lastFailure ?? null,
      lastFailureCause: h.lastFailureCause ?? null,
      instanceId: t.id,
      taskId: t.id,
    })),
  };
  if (t.startedAt !== undefined) out.startedAt = t.startedAt;
  return out;
}

/** Marathon's AppInfo from our app view (plus its tasks when embedded). */
export function toMarathonApp(a: Json, tasks?: Json[]): Json {
  const ports = (a.ports as Json[] | undefined) ?? [];
  const checks = (a.healthChecks as Json[] | undefined) ?? [];
  const counts = (a.counts as Json | undefined) ?? {};
  const out: Json = {
    id: a.id,
    cmd: a.cmd ?? null,
    args: a.args ?? null,
    env: a.env,
    instances: a.instances,
    cpus: a.cpus,
    mem: a.mem,
    disk: a.disk,
    gpus: a.gpus,
    executor: '',
    constraints: a.constraints,
    uris: [...((a.uris as string[] | undefined) ?? []), ...((a.fetch as Array<{ uri: string }> | undefined) ?? []).map((f) => f.uri)],
    fetch: [
      ...((a.uris as string[] | undefined) ?? []).map((uri) => ({ uri, extract: true, executable: false, cache: false })),
      ...((a.fetch as Array<Record<string, unknown>> | undefined) ?? []).map((f) => {
        const o: Record<string, unknown> = { uri: f.uri, extract: f.extract ?? true, executable: f.executable ?? false, cache: f.cache ?? false };
        if (f.outputFile !== undefined) o.destPath = f.outputFile;
        return o;
      }),
    ],
    storeUrls: [],
    backoffSeconds: a.backoffSeconds,
    backoffFactor: a.backoffFactor,
    maxLaunchDelaySeconds: a.maxLaunchDelaySeconds,
    container: null,
    healthChecks: checks.map((h) => {
      const c: Json = { protocol: h.protocol, gracePeriodSeconds: h.gracePeriodSeconds, intervalSeconds: h.intervalSeconds, timeoutSeconds: h.timeoutSeconds, maxConsecutiveFailures: h.maxConsecutiveFailures, delaySeconds: 15 };
      if (h.protocol === 'HTTP') Object.assign(c, { path: h.path, portIndex: h.portIndex, ignoreHttp1xx: false });
      if (h.protocol === 'TCP') c.portIndex = h.portIndex;
      if (h.protocol === 'COMMAND') c.command = { value: h.command };
      return c;
    }),
    readinessChecks: [],
    dependencies: [],
    upgradeStrategy: a.upgradeStrategy,
    labels: a.labels,
    acceptedResourceRoles: ['*'],
    version: a.version,
    versionInfo: a.versionInfo,
    killSelection: a.killSelection,
    unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 },
    requirePorts: ports.some((p) => Number(p.port) > 0),
    portDefinitions: ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'tcp', ...(p.name ? { name: p.name } : {}), labels: {} })),
    ports: ports.map((p) => p.port),
    tasksStaged: counts.staged ?? 0,
    tasksRunning: counts.running ?? 0,
    tasksHealthy: counts.healthy ?? 0,
    tasksUnhealthy: counts.unhealthy ?? 0,
    deployments: isObj(a.deployment) ? [{ id: a.deployment.id }] : [],
  };
  if (a.taskKillGracePeriodSeconds !== undefined) out.taskKillGracePeriodSeconds = a.taskKillGracePeriodSeconds;
  const f = a.lastTaskFailure;
  if (isObj(f)) out.lastTaskFailure = { appId: a.id, host: f.hostname, message: f.message, state: `TASK_${String(f.state)}`, taskId: f.taskId, timestamp: f.at, version: f.version };
  if (tasks) out.tasks = tasks.map(toMarathonTask);
  return out;
}

/** Marathon's deployment JSON from ours. */
export function toMarathonDeployment(d: Json): Json {
  const steps = (d.steps as Json[] | undefined) ?? [];
  const current = d.currentAction as string | undefined;
  return {
    id: d.id,
    version: d.version,
    affectedApps: [d.appId],
    affectedPods: [],
    steps: steps.map((s) => ({ actions: [{ action: ACTIONS[String(s.action)], app: d.appId }] })),
    currentActions: current ? [{ action: ACTIONS[current], app: d.appId, readinessCheckResults: [] }] : [],
    currentStep: d.currentStep,
    totalSteps: d.totalSteps,
  };
}
