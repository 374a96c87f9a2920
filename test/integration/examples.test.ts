/**
 * Every example file under examples/ is accepted by a real Orrery (real Redis), the way the docs say to use it:
 * job files through `orrery jobs add -f`, app files through `orrery apps add -f`, the curl script with sh,
 * Chronos job JSON on /v1/scheduler/…, Marathon app JSON on /v2/apps, and the systemd config file through
 * `orrery config print`. Files are found by directory, so a new example is checked without touching this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { startTestOrrery, type TestOrrery } from '../helpers/orrery.ts';
import { ROOT, runCli } from '../helpers/cli.ts';
import { portRange } from '../helpers/ports.ts';
import { waitFor } from '../helpers/wait-for.ts';

const EXAMPLES = path.join(ROOT, 'examples');
/** The web examples (and the README's tour) serve with `python3 -m http.server`. */
const noPython = spawnSync('python3', ['--version']).status === 0 ? undefined : 'python3 is not installed';
const DEFINITION = /\.(ya?ml|json)$/;

/** Example files of a directory (relative to the checkout), sorted; `ext` picks them by name. */
function examples(dir: string, ext: RegExp): string[] {
  return readdirSync(path.join(EXAMPLES, dir), { withFileTypes: true })
    .filter((e) => e.isFile() && ext.test(e.name))
    .map((e) => path.join('examples', dir, e.name))
    .sort();
}

/** The definitions of a file as the CLI reads them: a list, `---` documents, or `{jobs|apps: [...]}`. */
function definitions(file: string, listKey: 'jobs' | 'apps'): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const doc of parseAllDocuments(readFileSync(path.join(ROOT, file), 'utf8'))) {
    const v = doc.toJS() as unknown;
    if (Array.isArray(v)) out.push(...(v as Array<Record<string, unknown>>));
    else if (v && typeof v === 'object' && Array.isArray((v as Record<string, unknown>)[listKey])) out.push(...((v as Record<string, Array<Record<string, unknown>>>)[listKey]));
    else if (v) out.push(v as Record<string, unknown>);
  }
  return out;
}

let redis: TestRedis;
let orrery: TestOrrery;
let env: Record<string, string>;
const orr = (...args: string[]) => runCli(args, { env });
const api = (p: string, init?: RequestInit) => fetch(`${orrery.url}${p}`, init);
const postJson = (p: string, body: string) => api(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

beforeAll(async () => {
  redis = await startTestRedis();
  orrery = await startTestOrrery(redis.url, { resources: `cpus:4;mem:4096;disk:4000;ports:${portRange(200)}` });
  env = { ORRERY_URL: orrery.url };
}, 60_000);

afterAll(async () => {
  await orrery?.stop();
  await redis?.stop();
});

describe('examples/', () => {
  it('has job and app examples (the directories this test reads are not empty)', () => {
    expect(examples('jobs', DEFINITION).length).toBeGreaterThan(0);
    expect(examples('jobs/chronos', /\.json$/).length).toBeGreaterThan(0);
    expect(examples('apps', DEFINITION).length).toBeGreaterThan(0);
    expect(examples('apps/marathon', /\.json$/).length).toBeGreaterThan(0);
  });

  it('every file in examples/jobs is accepted by `orrery jobs add -f`, and its jobs exist as written', { timeout: 60_000 }, async () => {
    for (const file of examples('jobs', DEFINITION)) {
      const r = await orr('jobs', 'add', '-f', file);
      expect({ file, code: r.code, stderr: r.stderr }).toEqual({ file, code: 0, stderr: '' });
      for (const def of definitions(file, 'jobs')) {
        const got = await api(`/v1/jobs/${String(def.name)}`);
        expect(got.status, `${file}: job ${String(def.name)}`).toBe(200);
        const job = (await got.json()) as Record<string, unknown>;
        expect(job.parents ?? [], `${file}: parents of ${String(def.name)}`).toEqual(def.parents ?? []);
        if (def.schedule !== undefined) expect(job.schedule).toBe(def.schedule);
      }
    }
  });

  it('the curl script examples/jobs/etl-dag.sh creates the same DAG as etl-dag.yaml (every POST answered 2xx)', { timeout: 60_000 }, async () => {
    for (const script of examples('jobs', /\.sh$/)) {
      const r = await runCli([script], { command: 'sh', env });
      expect({ script, code: r.code, stderr: r.stderr }).toEqual({ script, code: 0, stderr: '' });
      for (const line of r.stdout.trim().split('\n')) expect(line, script).toMatch(/^20[01] \S+$/);
    }
    const graph = (await (await api('/v1/jobs/graph')).json()) as { edges: Array<{ from: string; to: string }> };
    const yamlEdges = definitions('examples/jobs/etl-dag.yaml', 'jobs').flatMap((d) => ((d.parents as string[] | undefined) ?? []).map((p) => `${p}>${String(d.name)}`));
    const edges = graph.edges.map((e) => `${e.from}>${e.to}`);
    for (const e of yamlEdges) expect(edges).toContain(e);
  });

  it('every Chronos job in examples/jobs/chronos is accepted unchanged on /v1/scheduler/iso8601 or /dependency', { timeout: 30_000 }, async () => {
    const files = examples('jobs/chronos', /\.json$/).map((file) => ({ file, text: readFileSync(path.join(ROOT, file), 'utf8') }));
    // Scheduled jobs first: a dependent job's parents must exist.
    const ordered = [...files.filter((f) => !('parents' in JSON.parse(f.text))), ...files.filter((f) => 'parents' in JSON.parse(f.text))];
    for (const { file, text } of ordered) {
      const job = JSON.parse(text) as { name: string; parents?: string[] };
      const res = await postJson(`/v1/scheduler/${job.parents ? 'dependency' : 'iso8601'}`, text);
      expect({ file, status: res.status, body: await res.text() }).toEqual({ file, status: 204, body: '' });
      const back = (await (await api(`/v1/scheduler/job/${job.name}`)).json()) as Record<string, unknown>;
      expect(back.name).toBe(job.name);
      expect(back.parents).toEqual(job.parents);
    }
  });

  it('every file in examples/apps is accepted by `orrery apps add -f` with its instances and ports', { timeout: 60_000 }, async () => {
    for (const file of examples('apps', DEFINITION)) {
      const r = await orr('apps', 'add', '-f', file);
      expect({ file, code: r.code, stderr: r.stderr }).toEqual({ file, code: 0, stderr: '' });
      for (const def of definitions(file, 'apps')) {
        const got = await api(`/v1/apps/${encodeURIComponent(String(def.id))}`);
        expect(got.status, `${file}: app ${String(def.id)}`).toBe(200);
        const app = (await got.json()) as Record<string, unknown>;
        expect(app.instances).toBe(def.instances ?? 1);
        if (def.ports !== undefined) expect((app.ports as unknown[]).length).toBe((def.ports as unknown[]).length);
        if (def.healthChecks !== undefined) expect((app.healthChecks as unknown[]).length).toBe((def.healthChecks as unknown[]).length);
      }
    }
  });

  it('every Marathon app in examples/apps/marathon is accepted unchanged on POST /v2/apps (201 with a deployment)', { timeout: 30_000 }, async () => {
    for (const file of examples('apps/marathon', /\.json$/)) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      const res = await postJson('/v2/apps', text);
      const body = (await res.json()) as Record<string, unknown>;
      expect({ file, status: res.status }, JSON.stringify(body)).toEqual({ file, status: 201 });
      expect(res.headers.get('marathon-deployment-id')).toMatch(/^[0-9a-f-]{36}$/);
      const def = JSON.parse(text) as { id: string; instances: number };
      expect(body.id).toBe(def.id);
      expect(body.instances).toBe(def.instances);
    }
  });

  // Runs after the two tests above have added the apps (tests in a file run in order).
  it.skipIf(noPython !== undefined)(
    `the web apps of the tour run: healthy on their ports, answering HTTP${noPython ? ` (SKIPPED: ${noPython})` : ''}`,
    { timeout: 60_000 },
    async () => {
      for (const id of ['/demo/web', '/prod/web']) {
        const tasks = await waitFor(
          async () => {
            const body = (await (await api(`/v1/apps/${encodeURIComponent(id)}/tasks`)).json()) as { tasks: Array<{ healthy?: boolean; ports: number[] }> };
            return body.tasks.length >= 2 && body.tasks.every((t) => t.healthy === true) ? body.tasks : undefined;
          },
          { timeoutMs: 45_000, intervalMs: 200, message: `${id}: every instance healthy` },
        );
        for (const t of tasks) expect((await fetch(`http://127.0.0.1:${t.ports[0]}/`)).status, `${id} on port ${t.ports[0]}`).toBe(200);
      }
    },
  );

  it('the config file of examples/systemd passes `orrery config print` (every key known and valid)', async () => {
    for (const file of examples('systemd', /\.ya?ml$/)) {
      const r = await runCli(['config', 'print', '--config', file, '-o', 'json']);
      expect({ file, code: r.code, stderr: r.stderr }).toEqual({ file, code: 0, stderr: '' });
    }
  });
});
