import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FrameworkAuthenticator, loadFrameworkCredentials, parseFrameworkCredentials } from './scheduler-credentials.ts';

const basic = (p: string, s: string): string => `Basic ${Buffer.from(`${p}:${s}`).toString('base64')}`;
const DOC = JSON.stringify({ credentials: [{ principal: 'alice', secret: 'alice-secret-1' }, { principal: 'bob', secret: 'b:o:b-secret' }] });

describe('framework credentials', () => {
  it('accepts exactly the configured principal and secret', () => {
    const parsed = parseFrameworkCredentials(DOC, 'test');
    if (!parsed.ok) throw new Error(parsed.error);
    const auth = new FrameworkAuthenticator(parsed.value);
    expect(auth.check(basic('alice', 'alice-secret-1'))).toEqual({ ok: true, principal: 'alice' });
    expect(auth.check(basic('bob', 'b:o:b-secret'))).toEqual({ ok: true, principal: 'bob' });
    expect(auth.check(basic('alice', 'b:o:b-secret'))).toMatchObject({ ok: false, reason: 'wrong secret' });
    expect(auth.check(basic('carol', 'alice-secret-1'))).toMatchObject({ ok: false, reason: 'unknown principal' });
    for (const h of [undefined, '', 'Bearer abc', 'Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`]) expect(auth.check(h).ok).toBe(false);
  });

  it('refuses malformed credential documents without echoing secrets', () => {
    for (const text of ['nope', '{}', '{"credentials":[]}', '{"credentials":[{"principal":"a:b","secret":"longenough"}]}', '{"credentials":[{"principal":"a","secret":"short"}]}']) {
      const r = parseFrameworkCredentials(text, 'src');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).not.toContain('longenough');
    }
  });

  it('reads a file or the environment, not both; none means open', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'orrery-creds-'));
    try {
      const file = path.join(dir, 'credentials.json');
      writeFileSync(file, DOC);
      expect(loadFrameworkCredentials({ file })).toMatchObject({ ok: true, value: [{ principal: 'alice' }, { principal: 'bob' }] });
      expect(loadFrameworkCredentials({ env: DOC })).toMatchObject({ ok: true, value: [{ principal: 'alice' }, { principal: 'bob' }] });
      expect(loadFrameworkCredentials({ file, env: DOC }).ok).toBe(false);
      expect(loadFrameworkCredentials({ file: path.join(dir, 'missing.json') }).ok).toBe(false);
      expect(loadFrameworkCredentials({})).toEqual({ ok: true, value: undefined });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
