/**
 * Who the UI acts as. When the API wants a token (a 401 anywhere), the UI asks for one, keeps it in sessionStorage
 * (this tab, until it closes) and sends it as a bearer token on every request and on the event stream. The role the
 * server reports (`GET /v1/whoami`) decides which actions are offered: viewers get none that change anything.
 *
 *   start ─► whoami ─200─► signed in (role)      any request ─401─► needs token ─► prompt ─► signIn(token)
 *                   └401─► needs token                                                  └─ whoami with it ─200─► signed in
 *
 * Without configured tokens the server answers whoami as an anonymous admin and no prompt ever shows.
 */

import type { Assert, ListsEvery, ResponseOf } from './types.ts';

/** GET /v1/whoami: the token's name, its role, and whether the server requires tokens. */
export type Identity = ResponseOf<'whoami', 200>;
export type Role = Identity['role'];

const ORDER = ['viewer', 'operator', 'admin'] as const satisfies readonly Role[];
type _EveryRoleOrdered = Assert<ListsEvery<Role, (typeof ORDER)[number]>>;

const STORAGE_KEY = 'orrery.apiToken';
const WHOAMI = '/v1/whoami';

export interface SessionState {
  /** Known once whoami answered; undefined while asking or when a token is needed. */
  identity?: Identity;
  needsToken: boolean;
  /** Why the last token was dropped (it was refused), for the prompt to say. */
  refused?: string;
}

type Listener = (s: SessionState) => void;

function readStored(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch (blocked) {
    // Storage disabled by the browser: the token lives until the page is reloaded.
    void blocked;
    return undefined;
  }
}

function store(token: string | undefined): void {
  try {
    if (token === undefined) sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, token);
  } catch (blocked) {
    void blocked;
  }
}

export function allows(role: Role, needed: Role): boolean {
  return ORDER.indexOf(role) >= ORDER.indexOf(needed);
}

export class Session {
  private token = readStored();
  private current: SessionState = { needsToken: false };
  private readonly listeners = new Set<Listener>();
  private readonly tokenListeners = new Set<() => void>();

  get state(): SessionState {
    return this.current;
  }

  /** The Authorization header for API requests (none without a token). */
  authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  /** Whether the signed-in caller may do what needs `role`. False until the role is known. */
  can(role: Role): boolean {
    return this.current.identity !== undefined && allows(this.current.identity.role, role);
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Called after a new token is taken: whatever waits for one (the event stream) tries again. */
  onToken(fn: () => void): () => void {
    this.tokenListeners.add(fn);
    return () => this.tokenListeners.delete(fn);
  }

  private set(s: SessionState): void {
    this.current = s;
    for (const fn of this.listeners) fn(s);
  }

  /**
   * A request sent with `sent` (its authHeaders()) was answered 401: that token (if any) is not valid here any more.
   * An answer to a request sent before the current token was taken says nothing about it and is ignored.
   */
  unauthorized(sent: Record<string, string>): void {
    if (sent.authorization !== this.authHeaders().authorization) return;
    if (this.current.needsToken) return;
    const refused = this.token ? 'The server no longer accepts the token of this tab. Enter a valid one.' : undefined;
    this.token = undefined;
    store(undefined);
    this.set({ needsToken: true, refused });
  }

  /** Asks the server who this tab is; on 401 the prompt shows. */
  async refresh(): Promise<void> {
    const auth = this.authHeaders();
    const res = await fetch(WHOAMI, { headers: { accept: 'application/json', ...auth }, cache: 'no-store' });
    if (res.status === 401) return this.unauthorized(auth);
    if (!res.ok) throw new Error(`${WHOAMI} answered ${res.status}`);
    this.set({ identity: (await res.json()) as Identity, needsToken: false });
  }

  /** Tries `token`; resolves with the identity, or rejects with why it was not accepted (nothing is kept then). */
  async signIn(token: string): Promise<Identity> {
    const t = token.trim();
    if (!t) throw new Error('Enter a token.');
    const res = await fetch(WHOAMI, { headers: { accept: 'application/json', authorization: `Bearer ${t}` }, cache: 'no-store' });
    if (res.status === 401) throw new Error('That token was not accepted.');
    if (!res.ok) throw new Error(`The server answered ${res.status}; try again.`);
    const identity = (await res.json()) as Identity;
    this.token = t;
    store(t);
    this.set({ identity, needsToken: false });
    for (const fn of this.tokenListeners) fn();
    return identity;
  }

  /** Forgets the token; the page reloads, so nothing fetched with it stays on screen. */
  signOut(): void {
    this.token = undefined;
    store(undefined);
    location.reload();
  }
}

export const session = new Session();
