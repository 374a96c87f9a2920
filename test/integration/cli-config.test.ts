/**
 * Configuration as a user meets it: one file (YAML or JSON), environment variables and flags, later ones
 * winning (file < env < flag); every value validated before anything starts, with the bad key named; secrets
 * redacted by `orrery config print`; `orrery up` taking its options (here: three agents) from all three, and so
 * do `orrery master` and `orrery agent` (real processes, registered with each other).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { registryKeys } from '../../core/coordination/keys.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { runCli, spawnCli } from '../helpers/cli.ts';
import { portRange } from '../helpers/ports.ts';
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

  it('`orrery master` and `orrery agent` take their settings from a file, the environment and flags (flag > env > file)', { timeout: 90_000 }, async () => {
    const secret = 'cfg-cluster-secret-0123456789abcdef';
    const secretFile = path.join(dir, 'cluster-secret');
    await writeFile(secretFile, `${secret}\n`, { mode: 0o600 });
    const masterWork = path.join(dir, 'master-work');
    const masterFile = path.join(dir, 'master.yaml');
    // The file's port is the test Redis's, which is taken: a master using it would fail to bind, so --port 0 must win.
    await writeFile(masterFile, `port: ${redis.port}\nworkDir: ${masterWork}\nredisUrl: ${redis.url}\nprefix: from-file\nclusterSecretFile: ${secretFile}\nagentHeartbeatMs: 60000\nleaseTtlMs: 4000\n`);
    const masterEnv = { ORRERY_PREFIX: 'cfg-servers', ORRERY_AGENT_HEARTBEAT_MS: '500' };
    const masterArgs = ['--config', masterFile, '--port', '0'];

    const masterPrint = await runCli(['config', 'print', '--for', 'master', ...masterArgs, '-o', 'json'], { env: masterEnv });
    expect(masterPrint.code, masterPrint.stderr).toBe(0);
    const m = JSON.parse(masterPrint.stdout);
    expect(m.values).toMatchObject({ port: 0, prefix: 'cfg-servers', agentHeartbeatMs: 500, leaseTtlMs: 4000, redisUrl: redis.url, clusterSecretFile: secretFile, withAgent: false, agentTimeoutMs: 15_000 });
    expect(m.sources).toMatchObject({ port: 'flag', prefix: 'env', agentHeartbeatMs: 'env', leaseTtlMs: 'file', redisUrl: 'file', clusterSecretFile: 'file', withAgent: 'default' });
    expect(Object.keys(m.values)).not.toContain('agents'); // `up`'s key, not the master's

    const master = spawnCli(['master', ...masterArgs], { env: masterEnv });
    let agent: ReturnType<typeof spawnCli> | undefined;
    const probe = new Redis(redis.url);
    try {
      const url = await waitFor(() => /Orrery master is up: (http:\/\/127\.0\.0\.1:\d+)/.exec(master.stdout())?.[1], { timeoutMs: 30_000, message: `master banner (stderr: ${master.stderr().slice(0, 500)})` });
      expect(new URL(url).port).not.toBe(String(redis.port));
      // It campaigns under the environment's prefix, not the file's.
      await waitFor(async () => (await probe.exists(registryKeys('cfg-servers').leader)) === 1, { timeoutMs: 10_000, message: 'the leader lease under the prefix from ORRERY_PREFIX' });
      expect(await probe.exists(registryKeys('from-file').leader)).toBe(0);

      const ports = portRange(10);
      const agentFile = path.join(dir, 'agent.yaml');
      // `host` and `port` are the master's keys (the agent's are agentHost and agentPort): one file can serve both.
      await writeFile(
        agentFile,
        `masterUrl: ${url}\nclusterSecret: ${secret}\nworkDir: ${path.join(dir, 'agent-work')}\nresources: "cpus:1;mem:256;ports:${ports}"\n` +
          `attributes: "rack:file"\nhostname: from-file\nagentPort: ${redis.port}\nhost: 0.0.0.0\nport: 1\nkillTasksOnStop: true\n`,
      );
      const agentEnv = { ORRERY_HOSTNAME: 'cfg-agent', ORRERY_ATTRIBUTES: 'rack:env' };
      const agentArgs = ['--config', agentFile, '--attributes', 'rack:flag', '--port', '0'];

      const agentPrint = await runCli(['config', 'print', '--for', 'agent', ...agentArgs, '-o', 'json'], { env: agentEnv });
      expect(agentPrint.code, agentPrint.stderr).toBe(0);
      const a = JSON.parse(agentPrint.stdout);
      expect(a.values).toMatchObject({ masterUrl: url, clusterSecret: '***', attributes: 'rack:flag', hostname: 'cfg-agent', agentPort: 0, agentHost: '127.0.0.1', killTasksOnStop: true });
      expect(a.sources).toMatchObject({ masterUrl: 'file', clusterSecret: 'file', attributes: 'flag', hostname: 'env', agentPort: 'flag', agentHost: 'default', killTasksOnStop: 'file' });
      expect(agentPrint.stdout).not.toContain(secret);

      agent = spawnCli(['agent', ...agentArgs], { env: agentEnv });
      const started = agent;
      const banner = await waitFor(() => /Orrery agent is up: (\S+) at (http:\/\/127\.0\.0\.1:(\d+)),/.exec(started.stdout()), { timeoutMs: 30_000, message: `agent banner (stderr: ${started.stderr().slice(0, 500)})` });
      expect(banner[3]).not.toBe(String(redis.port));
      expect(agent.stdout()).toContain('(running tasks are killed)'); // killTasksOnStop from the file

      const ls = await runCli(['agents', 'ls', '-o', 'json', '--url', url]);
      expect(ls.code, ls.stderr).toBe(0);
      const agents = JSON.parse(ls.stdout).agents as Array<{ id: string; hostname: string; attributes: Record<string, string>; resources: { total: { scalars: Record<string, number>; ranges: Record<string, number[][]> } } }>;
      expect(agents).toHaveLength(1);
      const [lo, hi] = ports.slice(1, -1).split('-').map(Number);
      expect(agents[0]).toMatchObject({ id: banner[1], hostname: 'cfg-agent', attributes: { rack: 'flag' } });
      expect(agents[0].resources.total.scalars).toMatchObject({ cpus: 1, mem: 256 });
      expect(agents[0].resources.total.ranges.ports).toEqual([[lo, hi]]);
    } finally {
      probe.disconnect();
      if (agent) {
        agent.child.kill('SIGTERM');
        expect(await agent.exited).toBe(0);
      }
      master.child.kill('SIGTERM');
      expect(await master.exited).toBe(0);
    }
  });

  it('`orrery agent` refuses a bad key in its config file before starting, naming the key and the file (exit 2)', { timeout: 30_000 }, async () => {
    const file = path.join(dir, 'bad-agent.yaml');
    await writeFile(file, 'masterUrls: http://127.0.0.1:9\nagentPort: 70000\nworkDir: /tmp/never-used\n');
    const r = await runCli(['agent', '--config', file], { env: { ORRERY_CLUSTER_SECRET: 'cfg-cluster-secret-0123456789abcdef' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`masterUrls (config file ${file}): unknown key (did you mean 'masterUrl'?)`);
    expect(r.stderr).toContain(`agentPort (config file ${file}): must be an integer from 0 to 65535, got 70000`);
    expect(r.stdout).not.toContain('Orrery agent is up');

    // A master refuses a bad value from the environment the same way, naming the variable.
    const master = await runCli(['master', '--config', file], { env: { ORRERY_AGENT_LOST_MS: 'soon' } });
    expect(master.code).toBe(2);
    expect(master.stderr).toContain(`masterUrls (config file ${file}): unknown key`);
    expect(master.stderr).toContain("agentLostMs (environment ORRERY_AGENT_LOST_MS): must be an integer from 1 to 604800000, got 'soon'");
  });
});
