import { describe, expect, it } from 'vitest';
import { parseIsolation } from './isolation-options.ts';

describe('parseIsolation', () => {
  it('reads a mode and the optional pid namespace', () => {
    expect(parseIsolation('auto')).toEqual({ ok: true, value: { mode: 'auto', pid: false } });
    expect(parseIsolation('cgroups,pid')).toEqual({ ok: true, value: { mode: 'cgroups', pid: true } });
    expect(parseIsolation(' posix , pid ')).toEqual({ ok: true, value: { mode: 'posix', pid: true } });
    expect(parseIsolation('pid')).toEqual({ ok: true, value: { mode: 'auto', pid: true } });
  });

  it('names what is wrong', () => {
    expect(parseIsolation('')).toMatchObject({ ok: false });
    expect(parseIsolation('docker')).toEqual({ ok: false, error: { message: "unknown isolation 'docker': use auto, cgroups or posix, optionally with pid" } });
    expect(parseIsolation('cgroups,posix')).toEqual({ ok: false, error: { message: 'isolation names both cgroups and posix: choose one' } });
  });
});
