import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkBind, checkFrameworkBind, isLoopback, loadApiAuth, loadTls } from './auth-config.ts';

const T1 = 'a1b2c3d4e5f60718293a';
const T2 = 'f0e1d2c3b4a596877869';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'orrery-auth-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string, mode = 0o600): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, text);
  await chmod(p, mode);
  return p;
}

describe('loadApiAuth', () => {
  it('is open when nothing is configured', async () => {
    expect(await loadApiAuth({})).toEqual({ ok: true, value: { tokens: undefined, warnings: [] } });
    expect(await loadApiAuth({ tokens: '  ' })).toEqual({ ok: true, value: { tokens: undefined, warnings: [] } });
  });

  it('merges ORRERY_TOKENS and a tokens file, and warns about a file others can read', async () => {
    const f = await file('tokens', `# team\nci:operator:${T2}\n`, 0o644);
    const r = await loadApiAuth({ tokens: `alice:admin:${T1}`, tokensFile: f });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.tokens?.identify(T1)).toEqual({ name: 'alice', role: 'admin' });
    expect(r.value.tokens?.identify(T2)).toEqual({ name: 'ci', role: 'operator' });
    expect(r.value.warnings).toEqual([`${f} can be read by other users; chmod 600 it`]);
  });

  it('reads JSON and YAML files by extension', async () => {
    const j = await file('tokens.json', JSON.stringify({ tokens: [{ name: 'a', role: 'viewer', token: T1 }] }));
    expect((await loadApiAuth({ tokensFile: j })).ok).toBe(true);
    const y = await file('tokens.yml', `- name: a\n  role: viewer\n  token: ${T1}\n`);
    const r = await loadApiAuth({ tokensFile: y });
    expect(r.ok && r.value.tokens?.identify(T1)?.role).toBe('viewer');
    expect(r.ok && r.value.warnings).toEqual([]);
  });

  it('names the option to fix', async () => {
    expect(await loadApiAuth({ tokensFile: path.join(dir, 'missing') })).toEqual({ ok: false, error: { key: 'tokens-file', message: `--tokens-file ${path.join(dir, 'missing')}: no such file` } });
    const empty = await file('empty', '# nothing yet\n');
    expect(await loadApiAuth({ tokensFile: empty })).toEqual({ ok: false, error: { key: 'tokens-file', message: `--tokens-file ${empty}: the file has no tokens` } });
    expect(await loadApiAuth({ tokens: 'alice:admin:short' })).toMatchObject({ ok: false, error: { key: 'tokens' } });
    const dup = await file('dup', `alice:viewer:${T2}\n`);
    expect(await loadApiAuth({ tokens: `alice:admin:${T1}`, tokensFile: dup })).toEqual({ ok: false, error: { key: 'tokens-file', message: 'the token name alice is used twice' } });
  });
});

describe('loadTls', () => {
  it('refuses files that are not PEM, naming the option', async () => {
    const cert = await file('cert.pem', 'hello');
    const key = await file('key.pem', '-----BEGIN PRIVATE KEY-----\n…');
    expect(await loadTls({ certFile: cert, keyFile: key })).toEqual({ ok: false, error: { key: 'tls-cert', message: `--tls-cert ${cert}: not a PEM certificate` } });
    expect(await loadTls({ certFile: cert, keyFile: path.join(dir, 'nope') })).toEqual({ ok: false, error: { key: 'tls-key', message: `--tls-key ${path.join(dir, 'nope')}: no such file` } });
  });
});

describe('the bind rule', () => {
  it('allows an open API on loopback only', () => {
    for (const host of ['127.0.0.1', '::1', 'localhost', '127.0.0.2']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'orrery.internal']) expect(isLoopback(host), host).toBe(false);
    expect(checkBind('127.0.0.1', false, false)).toEqual({ ok: true, value: {} });
    const refused = checkBind('0.0.0.0', false, false);
    expect(refused).toMatchObject({ ok: false, error: { key: 'host' } });
    if (!refused.ok) {
      expect(refused.error.message).toContain('refusing to listen on 0.0.0.0: authentication is not configured');
      expect(refused.error.message).toContain('ORRERY_TOKENS=name:role:token');
      expect(refused.error.message).toContain('--tokens-file FILE');
    }
  });

  it('allows other addresses with tokens, warning when there is no TLS', () => {
    expect(checkBind('0.0.0.0', true, true)).toEqual({ ok: true, value: {} });
    expect(checkBind('0.0.0.0', true, false)).toEqual({ ok: true, value: { warning: expect.stringContaining('clear text') } });
  });

  it('allows an open framework API on loopback only, saying how to configure framework credentials', () => {
    expect(checkFrameworkBind('127.0.0.1', false)).toEqual({ ok: true, value: undefined });
    expect(checkFrameworkBind('0.0.0.0', true)).toEqual({ ok: true, value: undefined });
    const refused = checkFrameworkBind('0.0.0.0', false);
    expect(refused).toMatchObject({ ok: false, error: { key: 'framework-credentials-file' } });
    if (!refused.ok) {
      expect(refused.error.message).toContain('refusing to listen on 0.0.0.0: framework credentials are not configured');
      expect(refused.error.message).toContain('ORRERY_FRAMEWORK_CREDENTIALS=');
      expect(refused.error.message).toContain('--framework-credentials-file FILE');
    }
  });
});
