/**
 * − / number / + for an app's instances. Each click moves a local target at once and sends it (forced, so a
 * quick second click replaces the first scale deployment instead of being refused); the number field sends on
 * Enter or "Scale". The target follows the server's count again once the server reports what was sent last
 * (or after SETTLE_MS): an older count arriving in between must not undo a click. Operators and admins only.
 *
 * The field is checked here, not left to the API (an exception to "the API is the validator"): an empty box read
 * as a number is 0, and 0 instances is a suspend, so a slip must not reach the API. Anything but a whole number
 * ≥ 0 disables "Scale" and says why beside the field; a target of 0 (typed, or − from 1) asks first.
 */

const SETTLE_MS = 5000;
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem } from '../api/http.ts';
import { parseInstances } from '../instances-input.ts';
import { useCan } from './permitted.tsx';

export function ScaleControl({ id, instances, running, scale }: { id: string; instances: number; running?: number; scale: (n: number) => Promise<unknown> }) {
  const [target, setTarget] = useState(instances);
  const [typed, setTyped] = useState(String(instances));
  const [error, setError] = useState<string>();
  const [askZero, setAskZero] = useState(false);
  const sent = useRef<{ value: number; at: number } | undefined>(undefined);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const permitted = useCan('operator');

  useEffect(() => {
    const s = sent.current;
    if (s && s.value !== instances && Date.now() - s.at < SETTLE_MS) return;
    sent.current = undefined;
    setTarget(instances);
    setTyped(String(instances));
  }, [instances]);

  useEffect(() => {
    if (askZero) confirmRef.current?.focus();
  }, [askZero]);

  const send = async (n: number): Promise<void> => {
    setAskZero(false);
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
  /** 0 is a suspend: asked first. */
  const request = (n: number): void => {
    if (n === 0 && target !== 0) {
      setTyped('0');
      setAskZero(true);
    } else void send(n);
  };
  const cancelZero = (): void => {
    setAskZero(false);
    setTyped(String(target));
    inputRef.current?.focus();
  };

  const parsed = parseInstances(typed);
  const safeId = id.replace(/[^A-Za-z0-9_-]/g, '_');
  const inputId = `scale-${safeId}`;
  const hintId = `scale-hint-${safeId}`;
  if (!permitted) return null;
  return (
    <form
      class="scale"
      noValidate
      aria-label={`Scale ${id}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (parsed.ok && parsed.value !== target && !askZero) request(parsed.value);
      }}
    >
      <span class="scale-row">
        <button type="button" class="btn btn-step" aria-label={`One instance fewer of ${id}`} disabled={target <= 0 || askZero} onClick={() => request(target - 1)}>
          −
        </button>
        <label class="visually-hidden" for={inputId}>
          Instances of {id}
        </label>
        <input
          ref={inputRef}
          id={inputId}
          class="scale-input"
          inputMode="numeric"
          value={typed}
          disabled={askZero}
          onInput={(e) => {
            setTyped(e.currentTarget.value);
            setError(undefined);
          }}
          aria-invalid={!parsed.ok || Boolean(error)}
          aria-describedby={hintId}
        />
        <button type="button" class="btn btn-step" aria-label={`One instance more of ${id}`} disabled={askZero} onClick={() => request(target + 1)}>
          +
        </button>
        <button type="submit" class="btn btn-small" disabled={!parsed.ok || parsed.value === target || askZero}>
          Scale
        </button>
      </span>
      <span id={hintId} class="field-error scale-hint" aria-live="polite">
        {!parsed.ok && parsed.message}
      </span>
      {askZero && (
        <span class="confirm confirm-asking scale-confirm" role="group" aria-label={`Scale ${id} to 0?`} onKeyDown={(e) => e.key === 'Escape' && cancelZero()}>
          <span class="confirm-question">
            Scale to 0? This suspends {id}
            {running ? `: its ${running} running instance${running === 1 ? ' is' : 's are'} stopped` : ''}.
          </span>
          <button ref={confirmRef} type="button" class="btn btn-danger" onClick={() => void send(0)}>
            Yes, scale to 0
          </button>
          <button type="button" class="btn" onClick={cancelZero}>
            Cancel
          </button>
        </span>
      )}
      {error && (
        <span class="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
