import { describe, expect, it } from 'vitest';
import { parseInstances } from './instances-input.ts';

describe('parseInstances (the scale box)', () => {
  it('takes whole numbers from 0 up, around spaces', () => {
    expect(parseInstances('0')).toEqual({ ok: true, value: 0 });
    expect(parseInstances(' 12 ')).toEqual({ ok: true, value: 12 });
    expect(parseInstances('007')).toEqual({ ok: true, value: 7 });
  });

  it('refuses what Number() would read as 0 or NaN, fractions, signs and exponents', () => {
    for (const typed of ['', '   ', 'abc', '2.5', '-1', '+3', '1e2', '0x10', '1 2', '∞']) expect(parseInstances(typed).ok, JSON.stringify(typed)).toBe(false);
    expect(parseInstances('')).toEqual({ ok: false, message: expect.stringMatching(/Enter a number/) });
    expect(parseInstances('99999999999999999999').ok).toBe(false);
  });
});
