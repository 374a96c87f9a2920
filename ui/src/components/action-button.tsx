/**
 * A button for an immediate API action (run now, enable, +1): busy while it runs, the API's error beside it.
 * Shown only to callers whose role may do it (`role`, operator by default: every such action changes something).
 */
import { useState } from 'preact/hooks';
import { ApiProblem } from '../api/http.ts';
import type { Role } from '../api/session.ts';
import { useCan } from './permitted.tsx';

export interface ActionButtonProps {
  label: string;
  /** Accessible name when the visible label is short or a symbol (`+`). */
  name?: string;
  action: () => Promise<unknown>;
  primary?: boolean;
  disabled?: boolean;
  class?: string;
  /** The least role that may do it. */
  role?: Role;
}

export function ActionButton({ label, name, action, primary, disabled, class: extra, role = 'operator' }: ActionButtonProps) {
  const permitted = useCan(role);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(e instanceof ApiProblem ? e.detail : e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  if (!permitted) return null;
  return (
    <span class="action">
      <button type="button" class={`btn${primary ? ' btn-primary' : ''}${extra ? ` ${extra}` : ''}`} aria-label={name} disabled={disabled || busy} aria-busy={busy} onClick={() => void run()}>
        {label}
      </button>
      {error && (
        <span class="field-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
