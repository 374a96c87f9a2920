/**
 * Role-aware rendering: `useCan('operator')` and `<Permitted role="operator">` show what changes things only to
 * callers whose role allows it (nothing while the role is still unknown). The API enforces the same rules; this only
 * keeps viewers from being offered buttons that would answer 403.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { session, type Role, type SessionState } from '../api/session.ts';

export function useSession(): SessionState {
  const [state, setState] = useState(session.state);
  useEffect(() => {
    const off = session.subscribe(setState);
    // It may have changed between the first render and this subscription.
    setState(session.state);
    return off;
  }, []);
  return state;
}

export function useCan(role: Role): boolean {
  useSession();
  return session.can(role);
}

export function Permitted({ role, children, otherwise }: { role: Role; children: ComponentChildren; otherwise?: ComponentChildren }) {
  return <>{useCan(role) ? children : (otherwise ?? null)}</>;
}

/** Where a page is only for a role the caller lacks: says so (and which role), instead of a form that would 403. */
export function RoleNote({ role, what }: { role: Role; what: string }) {
  const { identity } = useSession();
  if (!identity) return <p class="muted" role="status">Checking your role…</p>;
  return (
    <div class="note note-error" role="alert" data-role-note>
      <strong>Not allowed:</strong> {identity.name} has the {identity.role} role; to {what} you need the {role} role.
    </div>
  );
}
