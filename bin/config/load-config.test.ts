import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, SERVER_KEYS } from './config-keys.ts';
import { formatIssue, loadConfig, redact } from './load-config.ts';

const keys = ['port', 'prefix', 'keepTasks', 'agents', 'resources'];

describe('loadConfig', () => {
  it('file < environment < flag < nothing (the default)', () => {
    const r = loadConfig(keys, {
      file: { path: 'f.yaml', data: { port: 6000, prefix: 'file', keepTasks: true, agents: 2 } },
      env: { ORRERY_PORT: '6500', ORRERY_PREFIX: 'env' },
      flags: { prefix: 'flag' },
    });
    expect(r.ok && r.value.values).toEqual({ port: 6500, prefix: 'flag', keepTasks: true, agents: 2, resources: undefined });
    expect(r.ok && r.value.origins).toEqual({ port: 'env', prefix: 'flag', keepTasks: 'file', agents: 'file', resources: 'default' });
  });

  it('reads booleans and integers from text; an empty variable counts as unset', () => {
    const r = loadConfig(keys, { env: { ORRERY_KEEP_TASKS: 'yes', ORRERY_PORT: '' }, flags: { agents: '3' } });
    expect(r.ok && r.value.values).toMatchObject({ keepTasks: true, port: 5050, agents: 3 });
  });

  it('names every bad key with its source, unknown keys with a suggestion', () => {
    const r = loadConfig(SERVER_KEYS, {
      file: { path: 'f.yaml', data: { prot: 1, port: '5050', resources: 'cpus:x' } },
      env: { ORRERY_AGENTS: '0' },
      flags: { 'keep-tasks': true, port: '70000' },
    });
    expect(r.ok).toBe(false);
    const lines = r.ok ? [] : r.error.map(formatIssue);
    expect(lines[0]).toMatch(/^prot \(config file f\.yaml\): unknown key \(did you mean 'port'\?\)/);
    expect(lines.slice(1)).toEqual([
      'port (config file f.yaml): must be an integer from 0 to 65535, got "5050"',
      expect.stringMatching(/^resources \(config file f\.yaml\): /),
      'port (flag --port): must be an integer from 0 to 65535, got \'70000\'',
      'agents (environment ORRERY_AGENTS): must be an integer from 1 to 64, got \'0\'',
    ]);
  });

  it('refuses a file that is not a mapping', () => {
    const r = loadConfig(keys, { file: { path: 'f.yaml', data: ['port', 1] }, env: {}, flags: {} });
    expect(!r.ok && r.error[0].message).toMatch(/must be a mapping/);
  });

  it('redacts secrets: tokens entirely, only the password of URLs', () => {
    const token = CONFIG_KEYS.find((k) => k.key === 'token')!;
    const redis = CONFIG_KEYS.find((k) => k.key === 'redisUrl')!;
    expect(redact(token, 'abc')).toBe('***');
    expect(redact(redis, 'redis://user:pw@h:6379/0')).toBe('redis://user:***@h:6379/0');
    expect(redact(redis, 'redis://h:6379')).toBe('redis://h:6379');
  });
});
