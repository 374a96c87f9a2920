/**
 * A button for a destructive or consequential action that asks first, inline: the question and the
 * confirming button take its place and receive focus; Escape or Cancel goes back. The action's API error
 * is shown next to it. Shown only to callers whose role may do it (`role`, operator by default).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem } from '../api/http.ts';
import type { Role } from '../api/session.ts';
import { useCan } from './permitted.tsx';

export interface ConfirmActionProps {
  label: string;
  question: string;
  confirmLabel?: string;
  danger?: boolean;
  disabled?: boolean;
  action: () => Promise<unknown>;
  /** The least role that may do it. */
  role?: Role;
}

export function ConfirmAction({ label, question, confirmLabel, danger, disabled, action, role = 'operator' }: ConfirmActionProps) {
  const permitted = useCan(role);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (wasAsking.current) openRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  const run = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      setAsking(false);
    } catch (e) {
      setError(e instanceof ApiProblem ? e.detail : e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (!permitted) return null;
  if (!asking) {
    return (
      <span class="confirm">
        <button ref={openRef} type="button" class={danger ? 'btn btn-danger' : 'btn'} disabled={disabled} onClick={() => setAsking(true)}>
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
  return (
    <span class="confirm confirm-asking" role="group" aria-label={question} onKeyDown={(e) => e.key === 'Escape' && setAsking(false)}>
      <span class="confirm-question">{question}</span>
      <button ref={confirmRef} type="button" class={danger ? 'btn btn-danger' : 'btn btn-primary'} disabled={busy} onClick={() => void run()}>
        {busy ? 'Working…' : (confirmLabel ?? `Yes, ${label.toLowerCase()}`)}
      </button>
      <button type="button" class="btn" onClick={() => setAsking(false)}>
        Cancel
      </button>
      {error && (
        <span class="field-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
