import { describe, expect, it } from 'vitest';
import { redisLine, upBanner } from './startup-banner.ts';

describe('the orrery up banner', () => {
  it('names the Redis and key prefix it joined, and a command the user can run', () => {
    const text = upBanner({ url: 'http://127.0.0.1:5050', agents: 1, redis: { url: 'redis://127.0.0.1:6379', private: false, prefix: 'orrery' }, workDir: '.orrery', keepTasks: false, cli: 'npx orrery' });
    expect(text).toBe(
      [
        '',
        'Orrery is up: http://127.0.0.1:5050',
        '  API:     http://127.0.0.1:5050/v1/state',
        '  Docs:    http://127.0.0.1:5050/docs',
        '  Metrics: http://127.0.0.1:5050/metrics',
        "  Redis:   redis://127.0.0.1:6379, key prefix 'orrery' (one cluster per Redis and prefix: --prefix or REDIS_URL for another)",
        'Try: npx orrery agents ls',
        'Press Ctrl+C to stop (running tasks are killed).',
        '',
      ].join('\n'),
    );
  });

  it('adds --url off the default address, the agent count, and says when tasks keep running', () => {
    const text = upBanner({ url: 'http://127.0.0.1:5051', agents: 3, redis: { url: 'redis://:***@redis.internal:6379', private: false, prefix: 'staging' }, workDir: '.orrery', keepTasks: true, cli: 'orrery' });
    expect(text).toContain('Try: orrery agents ls --url http://127.0.0.1:5051\n');
    expect(text).toContain('  Agents:  3 in this process\n');
    expect(text).toContain("  Redis:   redis://:***@redis.internal:6379, key prefix 'staging'");
    expect(text).toContain('Press Ctrl+C to stop (tasks keep running).');
  });

  it('says when the Redis is a private one it started', () => {
    expect(redisLine({ url: 'redis://127.0.0.1:40123', private: true, prefix: 'orrery' }, '.orrery')).toBe(
      "a private redis-server at redis://127.0.0.1:40123 (data in .orrery), key prefix 'orrery' (one cluster per Redis and prefix: --prefix or REDIS_URL for another)",
    );
  });
});
