import { describe, expect, it } from 'vitest';
import { validateTaskInfo } from './validation.ts';

const taskJson = (id: string, resources: unknown, command: unknown = { shell: true, value: 'sleep 1' }) => ({ taskId: id, name: id, agentId: 'a1', resources, command });

function valid(v: unknown) {
  const r = validateTaskInfo(v, 'task');
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('validateTaskInfo sharing of resources and commands', () => {
  it('gives tasks asking for the same resources one frozen, normalized value', () => {
    const a = valid(taskJson('t1', { scalars: { cpus: 0.1, mem: 32 } }));
    const b = valid(taskJson('t2', { scalars: { cpus: 0.1, mem: 32 }, ranges: {}, sets: {} }));
    const c = valid(taskJson('t3', { scalars: { mem: 32, cpus: 0.1000001 } }));
    expect(a.resources).toEqual({ scalars: { cpus: 0.1, mem: 32 }, ranges: {}, sets: {} });
    expect(valid(taskJson('t4', { scalars: { cpus: 0.1, mem: 32 } })).resources).toBe(a.resources);
    expect(b.resources).toEqual(a.resources);
    expect(c.resources).toEqual(a.resources);
    expect(Object.isFrozen(a.resources) && Object.isFrozen(a.resources.scalars)).toBe(true);
  });

  it('still refuses what the full checks refuse once an equal-looking value is shared', () => {
    valid(taskJson('t1', { scalars: { cpus: 1, mem: 64 } }));
    for (const bad of [{ scalars: { cpus: 1, mem: 64, gpus: undefined } }, { scalars: { cpus: 1, mem: -64 } }, { scalars: { cpus: 1, mem: 64 }, sets: { disks: [''] } }]) {
      const r = validateTaskInfo(taskJson('t2', bad), 'task');
      expect(r.ok).toBe(false);
    }
  });

  it('shares commands as frozen copies, never freezing or keeping the caller objects', () => {
    const args = ['/bin/echo', 'hi'];
    const env = { A: '1' };
    const first = valid(taskJson('t1', { scalars: { cpus: 1 } }, { shell: false, arguments: args, env }));
    const second = valid(taskJson('t2', { scalars: { cpus: 1 } }, { shell: false, arguments: ['/bin/echo', 'hi'], env: { A: '1' } }));
    expect(second.command).toBe(first.command);
    expect(first.command).toEqual({ shell: false, arguments: ['/bin/echo', 'hi'], env: { A: '1' } });
    expect(Object.isFrozen(args) || Object.isFrozen(env)).toBe(false);
    args.push('more');
    env.A = '2';
    expect(first.command).toEqual({ shell: false, arguments: ['/bin/echo', 'hi'], env: { A: '1' } });
    const long = 'x'.repeat(2000);
    const big = valid(taskJson('t3', { scalars: { cpus: 1 } }, { shell: true, value: long }));
    expect(big.command).toEqual({ shell: true, value: long });
  });
});
