/**
 * Configuration as a user meets it: one file (YAML or JSON), environment variables and flags, later ones
 * winning (file < env < flag); every value validated before anything starts, with the bad key named; secrets
 * redacted by `orrery config print`; and `orrery up` taking its options (here: three agents) from all three.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { runCli, spawnCli } from '../helpers/cli.ts';
import { waitFor } from '../helpers/wait-for.ts';

let redis: TestRedis;
let dir: string;
beforeAll(async () => {
  redis = await startTestRedis();
  dir = await mkdtemp(path.join(tmpdir(), 'orrery-config-'));
});
afterAll(async () => {
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('orrery configuration', () => {
  it('takes each key from the file, then the environment, then the flags; redacts secrets', { timeout: 30_000 }, async () => {
    const file = path.join(dir, 'orrery.yaml');
    await writeFile(file, 'port: 6000\nprefix: from-file\nofferTimeoutMs: 45000\nagents: 2\ntoken: file-secret-token\nredisUrl: redis://:hunter2@redis.internal:6379\n');
    const r = await runCli(['config', 'print', '--config', file, '--prefix', 'from-flag', '-o', 'json'], { env: { ORRERY_PORT: '6500', ORRERY_PREFIX: 'from-env', ORRERY_AGENTS: '3' } });
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout);
    expect(printed.file).toBe(file);
    expect(printed.values).toMatchObject({ port: 6500, prefix: 'from-flag', offerTimeoutMs: 45000, agents: 3, host: '127.0.0.1', token: '***', redisUrl: 'redis://:***@redis.internal:6379' });
    expect(printed.sources).toMatchObject({ port: 'env', prefix: 'flag', offerTimeoutMs: 'file', agents: 'env', host: 'default', token: 'file' });
    expect(r.stdout).not.toContain('hunter2');
    expect(r.stdout).not.toContain('file-secret-token');

    // ORRERY_CONFIG names the file when --config is absent; JSON works as well as YAML.
    const json = path.join(dir, 'orrery.json');
    await writeFile(json, JSON.stringify({ url: 'http://orrery.internal:5050', output: 'json' }));
    const viaEnv = await runCli(['config', 'print'], { env: { ORRERY_CONFIG: json } });
    expect(viaEnv.code).toBe(0);
    expect(JSON.parse(viaEnv.stdout).values.url).toBe('http://orrery.internal:5050');
  });

  it('refuses a bad config before starting, naming every bad key and where it came from (exit 2)', { timeout: 30_000 }, async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, 'port: 99999\nwork-dir: /tmp/x\nkeepTasks: "yes"\n');
    const r = await runCli(['up', '--config', file, '--redis-url', redis.url], { env: { ORRERY_AGENTS: 'three' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('port (config file');
    expect(r.stderr).toContain('must be an integer from 0 to 65535, got 99999');
    expect(r.stderr).toContain("work-dir (config file");
    expect(r.stderr).toContain("unknown key (did you mean 'workDir'?)");
    expect(r.stderr).toContain('keepTasks (config file');
    expect(r.stderr).toContain("agents (environment ORRERY_AGENTS): must be an integer from 1 to 64, got 'three'");
    expect(r.stdout).not.toContain('Orrery is up');

    const notYaml = path.join(dir, 'broken.yaml');
    await writeFile(notYaml, 'port: [6000\n');
    const broken = await runCli(['config', 'print', '--config', notYaml]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/config file .*broken\.yaml: not valid YAML or JSON/);

    const missing = await runCli(['config', 'print', '--config', path.join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml: no such file/);
  });

  it('`orrery up` uses the file, env and flags together: three agents (env over file), listed by `agents ls`', { timeout: 60_000 }, async () => {
    const work = path.join(dir, 'work');
    const file = path.join(dir, 'up.yaml');
    // port 1 from the file would fail to bind: the flag --port 0 must win; agents 2 from the file loses to env.
    await writeFile(file, `port: 1\nworkDir: ${work}\nredisUrl: ${redis.url}\nprefix: cfgtest\nresources: "cpus:3;mem:1536;ports:[31000-31029]"\nagents: 2\n`);
    const up = spawnCli(['up', '--config', file, '--port', '0'], { env: { ORRERY_AGENTS: '3' } });
    try {
      const url = await waitFor(() => /Orrery is up: (http:\/\/127\.0\.0\.1:\d+)/.exec(up.stdout())?.[1], { timeoutMs: 30_000, message: `startup banner (stderr: ${up.stderr().slice(0, 300)})` });
      const ls = await runCli(['agents', 'ls', '-o', 'json', '--url', url]);
      expect(ls.code).toBe(0);
      const agents = JSON.parse(ls.stdout).agents as Array<{ hostname: string; resources: { total: { scalars: Record<string, number>; ranges: Record<string, number[][]> } } }>;
      expect(agents).toHaveLength(3);
      expect(agents.map((a) => a.resources.total.scalars.mem)).toEqual([512, 512, 512]);
      expect(agents.map((a) => a.resources.total.ranges.ports)).toEqual([[[31000, 31009]], [[31010, 31019]], [[31020, 31029]]]);
      const table = await runCli(['agents', 'ls', '--url', url]);
      expect(table.stdout).toMatch(/^ID\s+HOSTNAME\s+STATE/);
      expect(table.stdout.match(/ACTIVE/g)).toHaveLength(3);
    } finally {
      up.child.kill('SIGTERM');
      expect(await up.exited).toBe(0);
    }
  });
});
