import { describe, expect, it } from 'vitest';
import { parseProcStat, readProcStat } from './proc-stat.ts';

describe('parseProcStat', () => {
  it('reads state, pgrp and start time even when the command name holds spaces and parentheses', () => {
    const fields = ['S', '1', '4242', '4242', '0', '-1', '4194560', '0', '0', '0', '0', '0', '0', '0', '0', '20', '0', '1', '0', '987654'];
    expect(parseProcStat(`4242 (we ird) (name) ${fields.join(' ')} 0 0`)).toEqual({ state: 'S', pgrp: 4242, startTime: 987654 });
  });

  it('rejects malformed lines', () => {
    expect(parseProcStat('garbage')).toBeUndefined();
    expect(parseProcStat('1 (x) S 1')).toBeUndefined();
  });

  it('agrees with the kernel about this process', async () => {
    const stat = readProcStat(process.pid);
    expect(stat?.state).toMatch(/[RS]/);
    expect(stat?.startTime).toBeGreaterThan(0);
  });
});
