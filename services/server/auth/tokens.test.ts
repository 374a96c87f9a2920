import { describe, expect, it } from 'vitest';
import { bearerToken, parseTokenDocument, parseTokenList, TokenTable } from './tokens.ts';
import { allows } from './roles.ts';

const T1 = 'a1b2c3d4e5f60718293a';
const T2 = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5=';

describe('token lists (ORRERY_TOKENS and line files)', () => {
  it('reads name:role:token entries separated by commas and newlines, with comments', () => {
    const r = parseTokenList(` alice:admin:${T1} ,ci:operator:${T2}\n# a comment\n\ngrafana:viewer:${T1}x # read-only\n`, 'f');
    expect(r).toEqual({
      ok: true,
      value: [
        { name: 'alice', role: 'admin', token: T1 },
        { name: 'ci', role: 'operator', token: T2 },
        { name: 'grafana', role: 'viewer', token: `${T1}x` },
      ],
    });
  });

  it('names the entry that is wrong and never repeats a token', () => {
    const cases: Array<[string, string]> = [
      [`alice:root:${T1}`, 'ORRERY_TOKENS entry 1 (alice): the role must be one of viewer, operator, admin'],
      [`alice:admin:${T1},bob:viewer:short-secret`, 'ORRERY_TOKENS entry 2 (bob): the token is shorter than 16 characters'],
      [`alice:admin`, 'ORRERY_TOKENS entry 1: expected name:role:token'],
      [`alice:admin:${T1}:extra`, 'ORRERY_TOKENS entry 1: expected name:role:token'],
      [`al ice:admin:${T1}`, 'ORRERY_TOKENS entry 1: the name must be'],
      [`alice:admin:${T1}"quoted"`, 'ORRERY_TOKENS entry 1 (alice): the token must be letters'],
    ];
    for (const [text, message] of cases) {
      const r = parseTokenList(text, 'ORRERY_TOKENS');
      expect(r.ok, text).toBe(false);
      if (!r.ok) {
        expect(r.error).toContain(message);
        expect(r.error).not.toContain(T1);
        expect(r.error).not.toContain('short-secret');
      }
    }
  });

  it('counts lines in a file', () => {
    const r = parseTokenList(`alice:admin:${T1}\n\nbob:boss:${T2}\n`, 'tokens.txt');
    expect(r).toEqual({ ok: false, error: expect.stringContaining('tokens.txt line 3 (bob)') });
  });
});

describe('token documents (JSON / YAML files)', () => {
  it('reads a list or a list under tokens', () => {
    expect(parseTokenDocument(JSON.stringify([{ name: 'a', role: 'viewer', token: T1 }]), 'f.json')).toEqual({ ok: true, value: [{ name: 'a', role: 'viewer', token: T1 }] });
    expect(parseTokenDocument(`tokens:\n  - name: a\n    role: operator\n    token: ${T2}\n`, 'f.yaml')).toEqual({ ok: true, value: [{ name: 'a', role: 'operator', token: T2 }] });
  });

  it('refuses other shapes and bad entries without echoing the text', () => {
    expect(parseTokenDocument('{"tokens": 3}', 'f.json')).toEqual({ ok: false, error: expect.stringContaining('expected a list') });
    const broken = parseTokenDocument(`[{"name": "a", "token": "${T1}`, 'f.json');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.error).not.toContain(T1);
    expect(parseTokenDocument(`[{"name": "a", "role": "viewer"}]`, 'f.json')).toEqual({ ok: false, error: expect.stringContaining('f.json entry 1 (a): the token must be') });
  });
});

describe('TokenTable', () => {
  it('identifies the holder of a token and nobody else', () => {
    const t = TokenTable.from([{ name: 'alice', role: 'admin', token: T1 }, { name: 'ci', role: 'operator', token: T2 }]);
    if (!t.ok) throw new Error(t.error);
    expect(t.value.identify(T1)).toEqual({ name: 'alice', role: 'admin' });
    expect(t.value.identify(T2)?.name).toBe('ci');
    expect(t.value.identify(`${T1} `)).toBeUndefined();
    expect(t.value.identify(T1.slice(0, -1))).toBeUndefined();
    expect(t.value.identify('')).toBeUndefined();
    expect(JSON.stringify(t.value.identities())).not.toContain(T1);
  });

  it('refuses duplicate names, duplicate tokens and an empty list', () => {
    expect(TokenTable.from([{ name: 'a', role: 'admin', token: T1 }, { name: 'a', role: 'viewer', token: T2 }])).toEqual({ ok: false, error: 'the token name a is used twice' });
    expect(TokenTable.from([{ name: 'a', role: 'admin', token: T1 }, { name: 'b', role: 'viewer', token: T1 }])).toEqual({ ok: false, error: 'b uses the same token as a' });
    expect(TokenTable.from([]).ok).toBe(false);
  });
});

describe('bearer header and roles', () => {
  it('takes the token of a Bearer header only', () => {
    expect(bearerToken(`Bearer ${T1}`)).toBe(T1);
    expect(bearerToken(`bearer  ${T1}`)).toBe(T1);
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(`Basic ${T1}`)).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken(`Bearer ${T1} extra`)).toBeUndefined();
  });

  it('orders roles viewer < operator < admin', () => {
    expect(allows('admin', 'operator')).toBe(true);
    expect(allows('operator', 'operator')).toBe(true);
    expect(allows('operator', 'admin')).toBe(false);
    expect(allows('viewer', 'operator')).toBe(false);
    expect(allows('viewer', 'viewer')).toBe(true);
  });
});
