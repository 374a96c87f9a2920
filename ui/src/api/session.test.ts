import { afterEach, describe, expect, it, vi } from 'vitest';
import { Session } from './session.ts';

const GOOD = { 'tok-viewer-0123456789': { name: 'watcher', role: 'viewer', authentication: true }, 'tok-operator-0123456789': { name: 'ops', role: 'operator', authentication: true } } as const;

/** A fake `/v1/whoami`: 200 with the identity of a known bearer token, else 401. */
function stubWhoami(): void {
  vi.stubGlobal('fetch', async (_url: string, init: { headers: Record<string, string> }) => {
    const token = /^Bearer (.+)$/.exec(init.headers.authorization ?? '')?.[1] as keyof typeof GOOD | undefined;
    const who = token ? GOOD[token] : undefined;
    return who ? new Response(JSON.stringify(who), { status: 200 }) : new Response('{}', { status: 401 });
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('Session', () => {
  it('asks for a token when whoami answers 401, and takes one only once the server accepts it', async () => {
    stubWhoami();
    const s = new Session();
    await s.refresh();
    expect(s.state).toEqual({ needsToken: true, refused: undefined });
    await expect(s.signIn('not-a-token-we-know')).rejects.toThrow('That token was not accepted.');
    expect(s.state.needsToken).toBe(true);
    expect(s.authHeaders()).toEqual({});

    const retried = vi.fn();
    s.onToken(retried);
    await s.signIn(' tok-viewer-0123456789 ');
    expect(s.state).toEqual({ identity: GOOD['tok-viewer-0123456789'], needsToken: false });
    expect(s.authHeaders()).toEqual({ authorization: 'Bearer tok-viewer-0123456789' });
    expect(retried).toHaveBeenCalledOnce();
    expect(s.can('viewer')).toBe(true);
    expect(s.can('operator')).toBe(false);
  });

  it('ignores a 401 to a request sent before the current token, and drops the token on a 401 sent with it', async () => {
    stubWhoami();
    const s = new Session();
    await s.signIn('tok-operator-0123456789');
    expect(s.can('operator')).toBe(true);
    s.unauthorized({});
    expect(s.state.needsToken).toBe(false);
    s.unauthorized({ authorization: 'Bearer tok-viewer-0123456789' });
    expect(s.state.needsToken).toBe(false);

    s.unauthorized(s.authHeaders());
    expect(s.state.needsToken).toBe(true);
    expect(s.state.refused).toContain('no longer accepts the token');
    expect(s.authHeaders()).toEqual({});
    expect(s.can('viewer')).toBe(false);
  });
});
