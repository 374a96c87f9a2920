/**
 * Fitting one instance of an app into what is left of an offer: constraints (with the app's other instances),
 * scalar resources, then host ports. Pure. The reason it returns when the offer cannot take the instance is what
 * `GET /v1/apps/{id}/pending` shows per agent.
 */
import { err, ok, type Result } from '../../core/errors/result.ts';
import {
  containsResources,
  describeShortfall,
  emptyResources,
  subtractResources,
  takePorts,
  type Attributes,
  type Resources,
} from '../../core/sdk/index.ts';
import { unmetAppConstraint, type PlacedInstance } from './app-constraints.ts';
import type { AppSpec } from './app-spec.ts';

type Ranges = Resources['ranges'][string];

export interface Placement {
  /** What the task asks for: the scalars plus its host ports as ranges. */
  resources: Resources;
  /** Host ports in the order of the app's `ports`. */
  hostPorts: number[];
}

/** The scalar resources of one instance (no ports). */
export function instanceScalars(spec: AppSpec): Resources {
  const r = emptyResources();
  const put = (name: string, v: number): void => {
    if (v > 0) r.scalars[name] = Math.round(v * 1000) / 1000;
  };
  put('cpus', spec.cpus);
  put('mem', spec.mem);
  put('disk', spec.disk);
  put('gpus', spec.gpus);
  for (const [name, v] of Object.entries(spec.resources)) put(name, v);
  return r;
}

/** Sorted, merged ranges of single ports. */
export function portsToRanges(ports: readonly number[]): Ranges {
  const sorted = [...ports].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && p === last[1] + 1) last[1] = p;
    else if (!last || p > last[1]) out.push([p, p]);
  }
  return out;
}

function expand(ranges: Ranges): number[] {
  const out: number[] = [];
  for (const [b, e] of ranges) for (let p = b; p <= e; p++) out.push(p);
  return out;
}

function portsResource(ports: readonly number[]): Resources {
  return { scalars: {}, ranges: { ports: portsToRanges(ports) }, sets: {} };
}

/**
 * Where one more instance of `spec` would go on an agent offering `available`, or why it cannot.
 * `scalars` is `instanceScalars(spec)`, computed once by the caller. `placed` are the app's live instances.
 */
export function placeInstance(
  spec: AppSpec,
  scalars: Resources,
  agent: { hostname: string; attributes: Attributes },
  available: Resources,
  placed: readonly PlacedInstance[],
): Result<Placement, string> {
  const unmet = unmetAppConstraint(agent, spec.constraints, placed);
  if (unmet) return err(unmet);
  if (!containsResources(available, scalars)) return err(`not enough resources on ${agent.hostname}: ${describeShortfall(scalars, available)}`);
  if (spec.ports.length === 0) return ok({ resources: scalars, hostPorts: [] });

  const fixed = spec.ports.filter((p) => p.port > 0).map((p) => p.port);
  let free = available;
  if (fixed.length > 0) {
    const want = portsResource(fixed);
    if (!containsResources(available, want)) {
      return err(`host port(s) ${fixed.join(', ')} not free on ${agent.hostname}`);
    }
    free = subtractResources(available, want);
  }
  const dynamicCount = spec.ports.length - fixed.length;
  const taken = takePorts(free, dynamicCount);
  if (!taken.ok) return err(`not enough free ports on ${agent.hostname}: ${taken.error}`);
  const dynamic = expand(taken.value);
  let next = 0;
  const hostPorts = spec.ports.map((p) => (p.port > 0 ? p.port : dynamic[next++]));
  const resources: Resources = { scalars: scalars.scalars, ranges: { ports: portsToRanges(hostPorts) }, sets: {} };
  return ok({ resources, hostPorts });
}

/** The environment Marathon gives a task about its ports and host, merged over the app's own env. */
export function instanceEnv(spec: AppSpec, ctx: { hostname: string; hostPorts: number[]; taskId: string; version: string }): Record<string, string> {
  const env: Record<string, string> = { ...spec.env };
  ctx.hostPorts.forEach((p, i) => {
    env[`PORT${i}`] = String(p);
    const name = spec.ports[i]?.name;
    if (name) env[`PORT_${name.toUpperCase().replace(/-/g, '_')}`] = String(p);
  });
  if (ctx.hostPorts.length > 0) {
    env.PORT = String(ctx.hostPorts[0]);
    env.PORTS = ctx.hostPorts.join(',');
  }
  env.HOST = ctx.hostname;
  env.ORRERY_APP_ID = spec.id;
  env.ORRERY_APP_VERSION = ctx.version;
  env.ORRERY_TASK_ID = ctx.taskId;
  env.MARATHON_APP_ID = spec.id;
  env.MARATHON_APP_VERSION = ctx.version;
  env.MESOS_TASK_ID = ctx.taskId;
  return env;
}
