/**
 * − / number / + for an app's instances. Each click moves a local target at once and sends it (forced, so a
 * quick second click replaces the first scale deployment instead of being refused); the number field sends on
 * Enter or "Scale". The target follows the server's count again once the server reports what was sent last
 * (or after SETTLE_MS): an older count arriving in between must not undo a click. Operators and admins only.
 */

const SETTLE_MS = 5000;
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem } from '../api/http.ts';
import { useCan } from './permitted.tsx';

export function ScaleControl({ id, instances, scale }: { id: string; instances: number; scale: (n: number) => Promise<unknown> }) {
  const [target, setTarget] = useState(instances);
  const [typed, setTyped] = useState(String(instances));
  const [error, setError] = useState<string>();
  const sent = useRef<{ value: number; at: number } | undefined>(undefined);
  const permitted = useCan('operator');

  useEffect(() => {
    const s = sent.current;
    if (s && s.value !== instances && Date.now() - s.at < SETTLE_MS) return;
    sent.current = undefined;
    setTarget(instances);
    setTyped(String(instances));
  }, [instances]);

  const send = async (n: number): Promise<void> => {
    setTarget(n);
    setTyped(String(n));
    setError(undefined);
    sent.current = { value: n, at: Date.now() };
    try {
      await scale(n);
    } catch (e) {
      sent.current = undefined;
      setTarget(instances);
      setError(e instanceof ApiProblem ? e.detail : String(e));
    }
  };

  const inputId = `scale-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  if (!permitted) return null;
  return (
    <form
      class="scale"
      noValidate
      aria-label={`Scale ${id}`}
      onSubmit={(e) => {
        e.preventDefault();
        void send(Number(typed));
      }}
    >
      <button type="button" class="btn btn-step" aria-label={`One instance fewer of ${id}`} disabled={target <= 0} onClick={() => void send(target - 1)}>
        −
      </button>
      <label class="visually-hidden" for={inputId}>
        Instances of {id}
      </label>
      <input id={inputId} class="scale-input" inputMode="numeric" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} aria-invalid={Boolean(error)} />
      <button type="button" class="btn btn-step" aria-label={`One instance more of ${id}`} onClick={() => void send(target + 1)}>
        +
      </button>
      <button type="submit" class="btn btn-small" disabled={typed === String(target)}>
        Scale
      </button>
      {error && (
        <span class="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
