/** A Redis URL Orrery cannot use stops the start with a configuration error naming `redisUrl`, and no password. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logging/logger.ts';
import { ConfigError, startOrrery } from '../../services/server/orrery.ts';

async function startError(redisUrl: string): Promise<ConfigError> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'orrery-test-redis-config-'));
  try {
    const e = await startOrrery(
      { host: '127.0.0.1', port: 0, workDir, redisUrl, keyPrefix: 'redis-config', keepTasks: false, resources: 'cpus:1;mem:256', leaseTtlMs: 5000, offerTimeoutMs: 30_000, version: 'test' },
      silentLogger(),
    ).then(
      async (o) => {
        await o.stop();
        throw new Error(`started with ${redisUrl}`);
      },
      (error: unknown) => error,
    );
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

describe('redisUrl', () => {
  it('refuses a bad URL, naming the setting and the expected forms, without the password', async () => {
    const e = await startError('redis+sentinel://:hunter2@127.0.0.1:1,127.0.0.1:2');
    expect(e.key).toBe('redisUrl');
    expect(e.message).toMatch(/^redisUrl \(REDIS_URL, --redis-url\): .*names no master/);
    expect(e.message).not.toContain('hunter2');
    const scheme = await startError('http://127.0.0.1:6379');
    expect(scheme.message).toMatch(/redis\+sentinel:\/\//);
  });

  it('refuses a TLS URL whose CA file cannot be read, naming REDIS_TLS_CA_FILE', async () => {
    process.env.REDIS_TLS_CA_FILE = '/nonexistent/ca.pem';
    try {
      const e = await startError('rediss+sentinel://127.0.0.1:1/m');
      expect(e.key).toBe('redisUrl');
      expect(e.message).toMatch(/REDIS_TLS_CA_FILE: cannot read \/nonexistent\/ca.pem/);
    } finally {
      delete process.env.REDIS_TLS_CA_FILE;
    }
  });
});
