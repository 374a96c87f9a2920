/** `orrery up` in the test process (the composition root), on a free port, a temp work dir and a given Redis. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../core/logging/logger.ts';
import type { Agent } from '../../core/agent/agent.ts';
import { startOrrery, type OrreryConfig, type RunningOrrery } from '../../services/server/orrery.ts';
import { portRange } from './ports.ts';

export interface TestOrrery extends Omit<RunningOrrery, 'agent'> {
  workDir: string;
  /** `orrery up` always has its in-process agent. */
  agent: Agent;
}

export async function startTestOrrery(redisUrl: string, overrides: Partial<OrreryConfig> = {}): Promise<TestOrrery> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'orrery-test-'));
  const running = await startOrrery(
    {
      host: '127.0.0.1',
      port: 0,
      workDir,
      redisUrl,
      keyPrefix: `t${path.basename(workDir).slice(-6)}`,
      keepTasks: false,
      resources: `cpus:2;mem:1024;disk:1000;ports:${portRange(101)}`,
      leaseTtlMs: 5000,
      offerTimeoutMs: 30_000,
      version: 'test',
      ...overrides,
    },
    silentLogger(),
  );
  if (!running.agent) throw new Error('startTestOrrery: the in-process agent did not start');
  return {
    ...running,
    agent: running.agent,
    workDir,
    async stop() {
      await running.stop();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
