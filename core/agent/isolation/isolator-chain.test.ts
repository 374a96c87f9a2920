import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../logging/logger.ts';
import type { IsolationContext, Isolator } from '../isolator.ts';
import { IsolatorChain, SHIM_SETUP_ENV } from './isolator-chain.ts';
import { parseProcUsage } from './posix-isolator.ts';

const ctx: IsolationContext = {
  frameworkId: 'fw',
  runId: 'run-1',
  sandbox: '/tmp/sb',
  task: { taskId: 't', name: 't', agentId: '', resources: { scalars: { cpus: 0.5 }, ranges: {}, sets: {} }, command: { shell: true, value: 'true' } },
};
const record = { frameworkId: ctx.frameworkId, task: ctx.task, runId: ctx.runId, sandbox: ctx.sandbox };

const isolator = (name: string, parts: Partial<Isolator>): Isolator => ({ name, prepare: async () => ({ wrapperArgs: [], env: {} }), cleanup: async () => undefined, ...parts });

describe('IsolatorChain', () => {
  it('nests wrappers in order, merges env, joins shim setup commands with && and always sets the setup variable', async () => {
    const chain = new IsolatorChain([
      isolator('a', { prepare: async () => ({ wrapperArgs: ['wrap-a'], env: { A: '1' }, setup: ['echo $$ >a'] }) }),
      isolator('b', { prepare: async () => ({ wrapperArgs: ['wrap-b'], env: { B: '2' }, setup: ['ulimit -c 0'] }) }),
    ]);
    expect(await chain.prepare(ctx)).toEqual({ wrapperArgs: ['wrap-a', 'wrap-b'], env: { A: '1', B: '2', [SHIM_SETUP_ENV]: 'echo $$ >a && ulimit -c 0' } });
    expect((await new IsolatorChain([]).prepare(ctx)).env).toEqual({ [SHIM_SETUP_ENV]: '' });
  });

  it('reports the first limitation, merges usage with the task cpus, and survives hooks that throw', async () => {
    const chain = new IsolatorChain([
      isolator('broken', { limitation: async () => Promise.reject(new Error('gone')), usage: async () => ({ isolation: 'x', memRssBytes: 5 }) }),
      isolator('mem', { limitation: async () => ({ reason: 'REASON_CONTAINER_LIMITATION_MEMORY', message: 'over' }) }),
    ]);
    expect(await chain.limitation(record, silentLogger())).toEqual({ reason: 'REASON_CONTAINER_LIMITATION_MEMORY', message: 'over' });
    expect(await chain.usage(record, 1000, true, silentLogger())).toEqual({
      taskId: 't',
      timestamp: 1000,
      running: true,
      isolation: 'x',
      cpusUserTimeSecs: 0,
      cpusSystemTimeSecs: 0,
      memRssBytes: 5,
      cpusLimit: 0.5,
    });
  });
});

describe('parseProcUsage', () => {
  it('reads state, group, CPU ticks (own + waited-for children) and RSS pages, after a command name with spaces', () => {
    const stat = '4242 (my (odd) cmd) S 1 4240 4240 0 -1 4194560 100 0 0 0 7 3 2 1 20 0 1 0 123456 1000000 321 18446744073709551615';
    expect(parseProcUsage(stat)).toEqual({ pgrp: 4240, state: 'S', userTicks: 9, systemTicks: 4, rssPages: 321 });
    expect(parseProcUsage('garbage')).toBeUndefined();
  });
});
