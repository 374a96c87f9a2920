import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { connectOrStartRedis } from '../../core/coordination/embedded-redis.ts';
import { createRedis } from '../../core/coordination/redis-client.ts';
import { findFreePort, pingRedis } from '../../core/coordination/redis-process.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

const log = silentLogger();
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'orrery-embedded-'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function withClient<T>(url: string, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis(url);
  try {
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

describe('connectOrStartRedis', () => {
  it('uses a Redis that answers at the url', async () => {
    const external: TestRedis = await startTestRedis();
    try {
      const endpoint = await connectOrStartRedis({ url: external.url, workDir, logger: log });
      expect(endpoint).toMatchObject({ url: external.url, started: false });
      await endpoint.stop();
      expect(await pingRedis(external.host, external.port)).toBe(true);
    } finally {
      await external.stop();
    }
  });

  it('starts a private AOF redis under workDir when nothing answers, and its data survives a restart', async () => {
    const nothingThere = `redis://127.0.0.1:${await findFreePort()}`;
    const first = await connectOrStartRedis({ url: nothingThere, workDir, logger: log });
    expect(first.started).toBe(true);
    expect(first.url).not.toBe(nothingThere);
    await withClient(first.url, async (r) => {
      expect(await r.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await r.config('GET', 'dir')).toEqual(['dir', path.join(workDir, 'redis')]);
      await r.set('survivor', 'still here');
    });
    expect(await readdir(path.join(workDir, 'redis'))).toContain('orrery-redis.json');

    await first.stop();
    expect(await pingRedis('127.0.0.1', portOf(first.url))).toBe(false);
    expect(existsSync(path.join(workDir, 'redis', 'orrery-redis.json'))).toBe(false);

    const second = await connectOrStartRedis({ url: nothingThere, workDir, logger: log });
    try {
      expect(second.started).toBe(true);
      expect(await withClient(second.url, (r) => r.get('survivor'))).toBe('still here');
    } finally {
      await second.stop();
    }
  });

  it('adopts the private redis a previous run left alive instead of starting a second one on the same AOF', async () => {
    const nothingThere = `redis://127.0.0.1:${await findFreePort()}`;
    const previous = await connectOrStartRedis({ url: nothingThere, workDir, logger: log });
    // A second start while the first server still runs (its parent "crashed" without stopping it).
    const adopted = await connectOrStartRedis({ url: nothingThere, workDir, logger: log });
    expect(adopted).toMatchObject({ url: previous.url, started: true });
    await adopted.stop();
    expect(await pingRedis('127.0.0.1', portOf(previous.url))).toBe(false);
    await previous.stop(); // already gone: must be harmless
  });

  it('explains how to install Redis when nothing answers and redis-server is not on PATH', async () => {
    const nothingThere = `redis://127.0.0.1:${await findFreePort()}`;
    const savedPath = process.env.PATH;
    const emptyDir = await mkdtemp(path.join(tmpdir(), 'orrery-nopath-'));
    process.env.PATH = emptyDir;
    try {
      const otherWorkDir = path.join(emptyDir, 'work');
      await expect(connectOrStartRedis({ url: nothingThere, workDir: otherWorkDir, logger: log })).rejects.toThrow(
        /apt-get install -y redis-server.*brew install redis.*REDIS_URL/,
      );
    } finally {
      process.env.PATH = savedPath;
      await rm(emptyDir, { recursive: true, force: true });
    }
  });
});

describe('startTestRedis', () => {
  it('keeps AOF data across restart() on the same port', async () => {
    const server = await startTestRedis({ appendonly: true });
    try {
      expect(server.port).not.toBe(6379);
      await withClient(server.url, (r) => r.set('k', 'v'));
      await server.restart();
      expect(await withClient(server.url, (r) => r.get('k'))).toBe('v');
    } finally {
      await server.stop();
    }
    expect(existsSync(server.dir)).toBe(false);
  });
});

describe('createRedis', () => {
  it('logs connection errors at warn instead of crashing; sets the BullMQ option; validates input', async () => {
    const port = await findFreePort();
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const client = createRedis(`redis://127.0.0.1:${port}`, { name: 'test-client', logger });
    try {
      await waitUntil(() => lines.some((l) => l.msg === 'redis connection error' && l.level === 40));
      expect(client.options.maxRetriesPerRequest).not.toBeNull();
    } finally {
      client.disconnect();
    }
    const bull = createRedis(`redis://127.0.0.1:${port}`, { logger, forBullmq: true });
    expect(bull.options.maxRetriesPerRequest).toBeNull();
    bull.disconnect();
    expect(() => createRedis('http://localhost:6379')).toThrow(/redis:\/\//);
    expect(() => createRedis('redis://localhost:1', { name: 'has space' })).toThrow(/connection name/);
  });
});

async function waitUntil(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
