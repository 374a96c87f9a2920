import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli-errors.ts';
import { UP_HELP } from '../up-command.ts';
import { AGENT_HELP, agentConfig, MASTER_HELP, masterConfig } from '../server-commands.ts';
import { AGENT_KEYS, keyAsUsed, MASTER_KEYS, UP_KEYS, type CommandKeys } from './config-keys.ts';
import { loadCommandConfig, refuseSecretFlags } from './command-config.ts';

function usageError(f: () => unknown): UsageError {
  try {
    f();
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('no UsageError');
}

describe('server commands on the config table', () => {
  it('`orrery agent --host/--port` set agentHost/agentPort; ORRERY_HOST and ORRERY_PORT are the master’s', () => {
    const env = { ORRERY_HOST: '0.0.0.0', ORRERY_PORT: '7000', ORRERY_AGENT_PORT: '6001' };
    const agent = loadCommandConfig(AGENT_KEYS, ['--host', '10.0.0.7'], AGENT_HELP, { ...env });
    expect(agent !== 'help' && agent.values).toMatchObject({ agentHost: '10.0.0.7', agentPort: 6001, workDir: './.orrery-agent' });
    expect(agent !== 'help' && agent.origins).toMatchObject({ agentHost: 'flag', agentPort: 'env', workDir: 'default' });
    const master = loadCommandConfig(MASTER_KEYS, [], MASTER_HELP, { ...env });
    expect(master !== 'help' && master.values).toMatchObject({ host: '0.0.0.0', port: 7000, workDir: './.orrery' });
  });

  it('refuses a secret on the command line, saying where to put it instead', () => {
    expect(usageError(() => refuseSecretFlags(AGENT_KEYS, ['--cluster-secret=hunter2'])).message).toBe(
      'secrets are not taken from the command line (every user sees it in ps); set ORRERY_CLUSTER_SECRET or use --cluster-secret-file FILE (config keys clusterSecret, clusterSecretFile)',
    );
    expect(usageError(() => refuseSecretFlags(UP_KEYS, ['--tokens', 'a:admin:x'])).message).toContain('set ORRERY_TOKENS or use --tokens-file FILE');
    expect(() => refuseSecretFlags(MASTER_KEYS, ['--cluster-secret-file', 'f'])).not.toThrow();
  });

  it('removes the secrets it read from the environment, so tasks do not inherit them', () => {
    const env: NodeJS.ProcessEnv = { ORRERY_CLUSTER_SECRET: 's3cret-s3cret', ORRERY_TOKENS: 'x', ORRERY_FRAMEWORK_CREDENTIALS: '{}', REDIS_URL: 'redis://h:1' };
    const cfg = loadCommandConfig(MASTER_KEYS, [], MASTER_HELP, env);
    expect(cfg !== 'help' && cfg.values.clusterSecret).toBe('s3cret-s3cret');
    expect(env).toEqual({ REDIS_URL: 'redis://h:1' });
  });

  it('builds the master’s and the agent’s configuration, naming the key of what is missing', () => {
    const master = masterConfig(['--with-agent', '--agent-lost-ms', '4000', '--sandbox-max-age', '2h'], { ORRERY_LEASE_TTL_MS: '3000' });
    expect(master !== 'help' && master.cfg).toMatchObject({ localAgent: true, clusterSecret: undefined, agentLostTimeoutMs: 4000, agentHeartbeatIntervalMs: 5000, leaseTtlMs: 3000, sandboxGc: { maxAgeMs: 7_200_000 } });
    expect(usageError(() => masterConfig([], {})).message).toContain('clusterSecret: no cluster secret');

    const agent = agentConfig(['--master', 'http://m1:5050,http://m2:5050', '--kill-tasks-on-stop'], { ORRERY_CLUSTER_SECRET: ' s3cret ' });
    expect(agent !== 'help' && agent.cfg).toMatchObject({ masterUrl: 'http://m1:5050,http://m2:5050', clusterSecret: 's3cret', host: '127.0.0.1', port: 5051, killTasksOnStop: true, tls: undefined });
    expect(usageError(() => agentConfig([], { ORRERY_CLUSTER_SECRET: 's' })).message).toContain('masterUrl: --master URL is required');
    expect(usageError(() => agentConfig(['--master', 'http://m:5050', '--tls-cert', 'c.pem'], { ORRERY_CLUSTER_SECRET: 's' })).message).toContain('tlsKey: --tls-cert and --tls-key go together: --tls-key is missing');
    expect(usageError(() => agentConfig(['--master', 'ftp://m'], { ORRERY_CLUSTER_SECRET: 's' })).message).toContain("masterUrl (flag --master): 'ftp://m' must start with http:// or https://");
  });

  it('each command’s help names every flag and environment variable it reads', () => {
    const cases: Array<[string, CommandKeys, string]> = [['up', UP_KEYS, UP_HELP], ['master', MASTER_KEYS, MASTER_HELP], ['agent', AGENT_KEYS, AGENT_HELP]];
    for (const [command, keys, help] of cases) {
      for (const use of keys) {
        const def = keyAsUsed(use);
        if (def.flag) expect(help, `${command} --${def.flag}`).toContain(`--${def.flag}`);
        if (def.env) expect(help, `${command} ${def.env}`).toContain(def.env);
      }
      expect(help, command).toContain('--config FILE');
      expect(help, command).toMatch(/Examples?:\n {2}\S/);
    }
  });
});
