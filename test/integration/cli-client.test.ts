/**
 * The client commands as a user runs them: the real `orrery` binary against a running Orrery (three agents in
 * one process, real Redis). A DAG from a YAML file, runs and logs, an app scaled with --wait across agents,
 * following the event stream, and exit codes: 0 ok, 1 API/network error, 2 usage (never a stack trace).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { startTestOrrery, type TestOrrery } from '../helpers/orrery.ts';
import { runCli, spawnCli } from '../helpers/cli.ts';
import { waitFor } from '../helpers/wait-for.ts';

let redis: TestRedis;
let orrery: TestOrrery;
let files: string;
let env: Record<string, string>;

const orr = (...args: string[]) => runCli(args, { env });

beforeAll(async () => {
  redis = await startTestRedis();
  orrery = await startTestOrrery(redis.url, { agents: 3, resources: 'cpus:3;mem:3072;disk:3000;ports:[31000-31299]' });
  files = await mkdtemp(path.join(tmpdir(), 'orrery-cli-files-'));
  env = { ORRERY_URL: orrery.url };
}, 60_000);

afterAll(async () => {
  await orrery?.stop();
  await redis?.stop();
  if (files) await rm(files, { recursive: true, force: true });
});

/** A stack trace line, which a user must never see for a usage or API error. */
const STACK = /\n\s+at .+\(.+:\d+:\d+\)/;

describe('orrery client commands', () => {
  it('adds a DAG from one YAML file (children before parents in the file), runs it, and reads its logs', { timeout: 90_000 }, async () => {
    const dag = path.join(files, 'etl.yaml');
    await writeFile(
      dag,
      [
        'name: cli-load\ncommand: echo "loaded $(cat /dev/null)rows"\nparents: [cli-transform]\ncpus: 0.1\nmem: 16',
        'name: cli-extract\ncommand: echo extracted-1; echo extracted-2\ncpus: 0.1\nmem: 16',
        'name: cli-transform\ncommand: echo transformed\nparents: [cli-extract]\ncpus: 0.1\nmem: 16',
      ].join('\n---\n'),
    );
    const added = await orr('jobs', 'add', '-f', dag);
    expect(added.code).toBe(0);
    expect(added.stdout.trim().split('\n')).toEqual(['job cli-extract created', 'job cli-transform created', 'job cli-load created']);

    const graph = await orr('jobs', 'graph', '-o', 'json');
    expect(graph.code).toBe(0);
    expect(JSON.parse(graph.stdout).edges.map((e: { from: string; to: string }) => `${e.from}>${e.to}`).sort()).toEqual(['cli-extract>cli-transform', 'cli-transform>cli-load']);

    const run = await orr('jobs', 'run', 'cli-extract', '--follow');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('extracted-1\nextracted-2\n');
    expect(run.stdout).toMatch(/run \S+ of cli-extract: SUCCEEDED \(exit 0\)/);

    // The children run after their parent: wait as a script would, through the CLI's JSON.
    const runs = await waitFor(
      async () => {
        const r = await orr('jobs', 'runs', 'cli-load', '-o', 'json');
        const list = JSON.parse(r.stdout).runs as Array<{ state: string; cause: string }>;
        return list[0]?.state === 'SUCCEEDED' ? list : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, message: 'cli-load succeeded after its parents' },
    );
    expect(runs[0].cause).toBe('parent');

    const logs = await orr('jobs', 'logs', 'cli-load');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toBe('loaded rows\n');

    const table = await orr('jobs', 'ls');
    expect(table.code).toBe(0);
    const rows = table.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^NAME\s+STATUS\s+SCHEDULE/);
    expect(rows.find((r) => r.startsWith('cli-transform'))).toMatch(/^cli-transform\s+success\s+after cli-extract/);
  });

  it('a failed run makes `jobs run --wait` exit 1 with the exit code shown', { timeout: 60_000 }, async () => {
    const file = path.join(files, 'fail.json');
    await writeFile(file, JSON.stringify({ name: 'cli-fail', command: 'echo oops >&2; exit 3', cpus: 0.1, mem: 16 }));
    expect((await orr('jobs', 'add', '-f', file)).code).toBe(0);
    const run = await orr('jobs', 'run', 'cli-fail', '--wait');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAILED \(exit 3\)/);
    const err = await orr('jobs', 'logs', 'cli-fail', '--stderr');
    expect(err.stdout).toBe('oops\n');
  });

  it('`jobs rm` of a job with a child is refused (exit 1) naming the child and the --force flag; --force detaches it', { timeout: 60_000 }, async () => {
    const file = path.join(files, 'rm-dag.yaml');
    await writeFile(file, 'name: cli-rm-parent\ncommand: "true"\ncpus: 0.1\nmem: 16\n---\nname: cli-rm-child\ncommand: "true"\nparents: [cli-rm-parent]\ncpus: 0.1\nmem: 16\n');
    expect((await orr('jobs', 'add', '-f', file)).code).toBe(0);
    const refused = await orr('jobs', 'rm', 'cli-rm-parent');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('job cli-rm-child depends on cli-rm-parent; delete it first, or detach it with: orrery jobs rm cli-rm-parent --force');
    expect(refused.stderr).not.toContain('force=true');
    const forced = await orr('jobs', 'rm', 'cli-rm-parent', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toBe('job cli-rm-parent deleted; detached cli-rm-child\n');
  });

  it('follows a running task’s stdout with `tasks logs -f` until the task ends', { timeout: 60_000 }, async () => {
    const res = await fetch(`${orrery.url}/v1/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ command: 'for i in 1 2 3 4; do echo line$i; sleep 0.3; done', cpus: 0.1, mem: 16 }),
    });
    const { id } = (await res.json()) as { id: string };
    const logs = await orr('tasks', 'logs', id, '-f');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toBe('line1\nline2\nline3\nline4\n');
    const task = await orr('tasks', 'get', id, '-o', 'json');
    expect(JSON.parse(task.stdout).state).toBe('FINISHED');
  });

  it('adds an app and scales it with --wait: progress lines, then every instance on its own agent', { timeout: 90_000 }, async () => {
    const file = path.join(files, 'web.yaml');
    await writeFile(file, 'id: /cli/web\ncmd: sleep 600\ninstances: 1\ncpus: 0.1\nmem: 16\nconstraints:\n  - [hostname, UNIQUE]\n');
    const added = await orr('apps', 'add', '-f', file, '--wait');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('app /cli/web created');
    // No health checks: instances count once running (healthy does not apply).
    expect(added.stdout).toMatch(/deployment \S+ succeeded: \/cli\/web has 1\/1 instances running/);

    const scaled = await orr('apps', 'scale', '/cli/web', '3', '--wait');
    expect(scaled.code).toBe(0);
    // Not a terminal: plain progress lines on stderr, the result on stdout.
    expect(scaled.stderr).toMatch(/\/cli\/web scale: \d\/3 running/);
    expect(scaled.stdout).toMatch(/succeeded: \/cli\/web has 3\/3 instances running/);

    const tasks = JSON.parse((await orr('apps', 'tasks', '/cli/web', '-o', 'json')).stdout).tasks as Array<{ host: string; state: string }>;
    expect(tasks.map((t) => t.state)).toEqual(['RUNNING', 'RUNNING', 'RUNNING']);
    expect(new Set(tasks.map((t) => t.host)).size).toBe(3);

    const ls = await orr('apps', 'ls');
    expect(ls.stdout).toMatch(/\/cli\/web\s+RUNNING\s+3\/3\s+-\s/);

    // UNIQUE hostname on 3 agents: a 4th instance cannot be placed, and the CLI says why the change is refused.
    const more = await orr('apps', 'scale', '/cli/web', '4');
    expect(more.code).toBe(0);
    const locked = await orr('apps', 'scale', '/cli/web', '2');
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('ORR_ERR_APP_LOCKED');
    expect(locked.stderr).not.toMatch(STACK);
    const cancelled = await orr('apps', 'scale', '/cli/web', '2', '--force', '--wait');
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain('2/2 instances running');
    // Scaling down shows the live tasks going to the target, never "3/2".
    expect(cancelled.stderr).not.toMatch(/3\/2/);
    expect(cancelled.stderr).toMatch(/scale: (running [23] → 2|2\/2 running)/);
  });

  // `script` (util-linux) gives the command a terminal; without it the bar cannot be observed from a test.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('draws a progress bar in place on a terminal (through `script`; skipped where it is missing)', { timeout: 60_000 }, async () => {
    const file = path.join(files, 'tty.json');
    await writeFile(file, JSON.stringify({ id: '/cli/tty', cmd: 'sleep 600', instances: 1, cpus: 0.1, mem: 16 }));
    expect((await orr('apps', 'add', '-f', file, '--wait')).code).toBe(0);
    const r = await runCli(['-qec', `${process.execPath} bin/orrery.js apps scale /cli/tty 2 --wait`, '/dev/null'], { env, command: 'script' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\r\x1b\[K\[#{30}\] \/cli\/tty scale: 2\/2 running/);
    expect((await orr('apps', 'rm', '/cli/tty', '--wait')).code).toBe(0);
  });

  it('lists the three agents of `--agents 3` with split resources and suffixed hostnames', { timeout: 30_000 }, async () => {
    const r = await orr('agents', 'ls', '-o', 'json');
    expect(r.code).toBe(0);
    const agents = JSON.parse(r.stdout).agents as Array<{ hostname: string; resources: { total: { scalars: Record<string, number> } } }>;
    expect(agents).toHaveLength(3);
    expect(agents.map((a) => a.hostname.replace(/^.*-/, '')).sort()).toEqual(['1', '2', '3']);
    expect(agents.map((a) => a.resources.total.scalars.cpus)).toEqual([1, 1, 1]);
    const table = await orr('agents', 'ls');
    expect(table.stdout.trim().split('\n')).toHaveLength(4);
  });

  it('follows the event stream until Ctrl+C', { timeout: 60_000 }, async () => {
    const events = spawnCli(['events', '-o', 'json', '--type', 'run.*'], { env });
    await waitFor(() => events.stderr().includes('following'), { timeoutMs: 20_000, message: 'events connected' });
    expect((await orr('jobs', 'run', 'cli-extract', '--wait')).code).toBe(0);
    const finished = await waitFor(
      () =>
        events
          .stdout()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { event: string; data: { job: string; state: string } })
          .find((e) => e.event === 'run.finished' && e.data.job === 'cli-extract'),
      { timeoutMs: 20_000, message: 'run.finished event' },
    );
    expect(finished.data.state).toBe('SUCCEEDED');
    events.child.kill('SIGINT');
    expect(await events.exited).toBe(0);
  });

  it('gives usage errors (exit 2) for bad flags, arguments and files, and API errors (exit 1), without stack traces', { timeout: 90_000 }, async () => {
    const broken = path.join(files, 'broken.yaml');
    await writeFile(broken, 'name: x\ncommand: [unclosed\n');
    const nameless = path.join(files, 'nameless.json');
    await writeFile(nameless, '{"command": "true"}');
    const cases: Array<[string[], number, RegExp]> = [
      [['jobs', 'ls', '--bogus'], 2, /Unknown option '--bogus'[\s\S]*Usage: orrery jobs ls/],
      [['jobs', 'frobnicate'], 2, /unknown command 'frobnicate'/],
      [['apps', 'scale', '/cli/web', 'many'], 2, /N \(instances\) must be a non-negative integer, got 'many'/],
      [['jobs', 'get'], 2, /missing argument: NAME/],
      [['jobs', 'add', '-f', path.join(files, 'missing.json')], 2, /missing\.json: no such file/],
      [['jobs', 'add', '-f', broken], 2, /broken\.yaml: not valid JSON or YAML/],
      [['jobs', 'add', '-f', nameless], 2, /nameless\.json: a job needs a "name"/],
      [['jobs', 'ls', '-o', 'xml'], 2, /output \(flag --output\): must be one of table, json/],
      [['jobs', 'get', 'no-such-job'], 1, /Job not found \(HTTP 404, ORR_ERR_JOB_NOT_FOUND\)/],
      [['jobs', 'ls', '--url', 'http://127.0.0.1:1'], 1, /cannot reach Orrery at http:\/\/127\.0\.0\.1:1/],
    ];
    for (const [args, code, message] of cases) {
      const r = await orr(...args);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(STACK);
    }
    const invalid = path.join(files, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ name: 'cli-invalid', command: 'true', cpus: -1 }));
    const r = await orr('jobs', 'add', '-f', invalid);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/invalid\.json \(job cli-invalid\): .*HTTP 400/);
    expect(r.stderr).toContain('cpus');
  });

  it('documents every command with --help and examples (exit 0)', { timeout: 60_000 }, async () => {
    const cases: Array<[string[], RegExp]> = [
      [['jobs', 'add', '--help'], /Usage: orrery jobs add[\s\S]*Examples:\n {2}orrery jobs add -f /],
      [['apps', 'scale', '-h'], /Usage: orrery apps scale ID N[\s\S]*--wait[\s\S]*Examples:\n {2}orrery apps scale /],
      [['events', '--help'], /Usage: orrery events[\s\S]*Examples:\n {2}orrery events/],
      [['apps', '--help'], /Commands:\n {2}ls /],
    ];
    for (const [args, text] of cases) {
      const r = await orr(...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(text);
    }
  });
});
