import { describe, expect, it } from 'vitest';
import { parseResources, type Resources } from '../../core/sdk/index.ts';
import { unmetAppConstraint, type PlacedInstance } from './app-constraints.ts';
import { validateAppSpec, type AppSpec } from './app-spec.ts';
import { fromMarathonApp, marathonDetails, toMarathonApp } from './marathon-json.ts';
import { instanceEnv, instanceScalars, placeInstance, portsToRanges } from './placement.ts';

const res = (t: string): Resources => {
  const r = parseResources(t);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

function spec(input: Record<string, unknown>): AppSpec {
  const r = validateAppSpec({ id: '/p', cmd: 'x', cpus: 1, mem: 64, ...input });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

const at = (hostname: string, attributes: Record<string, string> = {}): PlacedInstance => ({ hostname, attributes });

describe('app constraints', () => {
  const c = (constraints: unknown[]) => spec({ constraints }).constraints;

  it('UNIQUE and MAX_PER count the app’s other instances', () => {
    expect(unmetAppConstraint(at('a'), c([['hostname', 'UNIQUE']]), [at('b')])).toBeUndefined();
    expect(unmetAppConstraint(at('a'), c([['hostname', 'UNIQUE']]), [at('a')])).toMatch(/UNIQUE.*already runs/);
    expect(unmetAppConstraint(at('a', { rack: 'r1' }), c([['rack', 'MAX_PER', '2']]), [at('x', { rack: 'r1' })])).toBeUndefined();
    expect(unmetAppConstraint(at('a', { rack: 'r1' }), c([['rack', 'MAX_PER', '2']]), [at('x', { rack: 'r1' }), at('y', { rack: 'r1' })])).toMatch(/max 2/);
  });

  it('CLUSTER pins to its value, or to the first placement’s', () => {
    expect(unmetAppConstraint(at('a', { rack: 'r2' }), c([['rack', 'CLUSTER', 'r1']]), [])).toMatch(/not 'r1'|'r1'/);
    expect(unmetAppConstraint(at('a', { rack: 'r2' }), c([['rack', 'CLUSTER']]), [])).toBeUndefined();
    expect(unmetAppConstraint(at('a', { rack: 'r2' }), c([['rack', 'CLUSTER']]), [at('b', { rack: 'r1' })])).toBeDefined();
  });

  it('GROUP_BY spreads evenly, waiting for unused values when the expected count is given', () => {
    const g = c([['rack', 'GROUP_BY', '2']]);
    expect(unmetAppConstraint(at('a', { rack: 'r1' }), g, [at('x', { rack: 'r1' })])).toBeDefined();
    expect(unmetAppConstraint(at('a', { rack: 'r2' }), g, [at('x', { rack: 'r1' })])).toBeUndefined();
    expect(unmetAppConstraint(at('a', { rack: 'r1' }), g, [at('x', { rack: 'r1' }), at('y', { rack: 'r2' })])).toBeUndefined();
  });

  it('LIKE / UNLIKE match the whole value; a missing attribute fails all but UNLIKE', () => {
    expect(unmetAppConstraint(at('a', { os: 'linux' }), c([['os', 'LIKE', 'lin']]), [])).toBeDefined();
    expect(unmetAppConstraint(at('a', { os: 'linux' }), c([['os', 'LIKE', 'lin.*']]), [])).toBeUndefined();
    expect(unmetAppConstraint(at('a'), c([['os', 'UNLIKE', 'win.*']]), [])).toBeUndefined();
    expect(unmetAppConstraint(at('a'), c([['os', 'IS', 'linux']]), [])).toMatch(/no attribute 'os'/);
  });
});

describe('placeInstance', () => {
  it('takes scalars and the lowest free host ports, fixed ports exactly', () => {
    const s = spec({ ports: [{}, { port: 31005 }, {}] });
    const p = placeInstance(s, instanceScalars(s), at('h'), res('cpus:2;mem:128;ports:[31000-31010]'), []);
    expect(p.ok && p.value.hostPorts).toEqual([31000, 31005, 31001]);
    expect(p.ok && p.value.resources.ranges.ports).toEqual([[31000, 31001], [31005, 31005]]);
  });

  it('says why an offer does not fit: resources, ports, constraints', () => {
    const s = spec({ ports: [{}, {}] });
    expect(placeInstance(s, instanceScalars(s), at('h'), res('cpus:0.5;mem:128;ports:[31000-31010]'), [])).toMatchObject({ ok: false, error: expect.stringMatching(/cpus 1 > 0.5/) });
    expect(placeInstance(s, instanceScalars(s), at('h'), res('cpus:2;mem:128;ports:[31000-31000]'), [])).toMatchObject({ ok: false, error: expect.stringMatching(/ports/) });
    const fixed = spec({ ports: [{ port: 8080 }] });
    expect(placeInstance(fixed, instanceScalars(fixed), at('h'), res('cpus:2;mem:128;ports:[31000-31010]'), [])).toMatchObject({ ok: false, error: expect.stringMatching(/8080 not free/) });
    const u = spec({ constraints: [['hostname', 'UNIQUE']] });
    expect(placeInstance(u, instanceScalars(u), at('h'), res('cpus:2;mem:128'), [at('h')])).toMatchObject({ ok: false, error: expect.stringMatching(/UNIQUE/) });
  });

  it('gives the task PORT0…, PORT, PORTS and named ports', () => {
    const s = spec({ ports: [{ name: 'http' }, {}], env: { A: '1' } });
    const env = instanceEnv(s, { hostname: 'h', hostPorts: [31000, 31001], taskId: 't', version: 'v' });
    expect(env).toMatchObject({ A: '1', PORT0: '31000', PORT1: '31001', PORT: '31000', PORTS: '31000,31001', PORT_HTTP: '31000', HOST: 'h', MARATHON_APP_ID: '/p' });
    expect(portsToRanges([5, 3, 4, 9])).toEqual([[3, 5], [9, 9]]);
  });
});

describe('Marathon JSON', () => {
  it('maps portDefinitions (dynamic unless requirePorts), health checks and fetch, and ignores read-only fields', () => {
    const r = fromMarathonApp({
      id: '/m',
      cmd: 'x',
      portDefinitions: [{ port: 10000, name: 'http', protocol: 'tcp', labels: {} }],
      healthChecks: [{ protocol: 'MESOS_HTTP', path: '/h', portIndex: 0, delaySeconds: 15 }, { protocol: 'COMMAND', command: { value: 'true' } }],
      fetch: [{ uri: 'https://example.com/a.tgz', extract: true }],
      uris: ['https://example.com/a.tgz'],
      tasksRunning: 3,
      version: '2017-01-01T00:00:00.000Z',
    });
    expect(r).toEqual({
      ok: true,
      value: {
        id: '/m',
        cmd: 'x',
        ports: [{ port: 0, name: 'http', protocol: 'tcp' }],
        healthChecks: [{ protocol: 'HTTP', path: '/h', portIndex: 0 }, { protocol: 'COMMAND', command: 'true' }],
        fetch: [{ uri: 'https://example.com/a.tgz', extract: true }],
      },
    });
    expect(fromMarathonApp({ id: '/m', cmd: 'x', requirePorts: true, ports: [8080] })).toMatchObject({ ok: true, value: { ports: [{ port: 8080 }] } });
    expect(fromMarathonApp({ id: '/m', cmd: 'x' })).toMatchObject({ ok: true, value: { ports: [{ port: 0 }] } });
  });

  it('refuses what cannot be honoured, naming the field', () => {
    const r = fromMarathonApp({ id: '/m', container: { type: 'DOCKER', docker: { image: 'nginx' } }, healthChecks: [{ protocol: 'HTTPS' }], bogus: 1 });
    expect(r.ok ? [] : r.error.map((i) => i.field).sort()).toEqual(['body.bogus', 'body.container', 'body.healthChecks[0].protocol']);
    expect(marathonDetails([{ field: 'body.upgradeStrategy.minimumHealthCapacity', message: 'must be <= 1' }, { field: 'body.constraints[0][1]', message: 'x' }])).toEqual([
      { path: '/upgradeStrategy/minimumHealthCapacity', errors: ['must be <= 1'] },
      { path: '/constraints/0/1', errors: ['x'] },
    ]);
  });

  it('renders counts, deployments and the last failure as Marathon does', () => {
    const m = toMarathonApp({ id: '/m', ports: [{ port: 0, protocol: 'tcp' }], healthChecks: [], counts: { staged: 1, running: 2, healthy: 2, unhealthy: 0 }, deployment: { id: 'd1' }, lastTaskFailure: { taskId: 't', state: 'FAILED', message: 'exit 1', at: 'now', hostname: 'h', version: 'v' } });
    expect(m).toMatchObject({ tasksStaged: 1, tasksRunning: 2, tasksHealthy: 2, tasksUnhealthy: 0, deployments: [{ id: 'd1' }], requirePorts: false, lastTaskFailure: { state: 'TASK_FAILED', host: 'h' } });
  });
});
