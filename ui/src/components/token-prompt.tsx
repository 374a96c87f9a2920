/**
 * Asks for an API token when the server wants one (a 401): a password field and "Sign in". The token is checked
 * with `GET /v1/whoami` before it is kept (sessionStorage, this tab only); then the page's data loads with it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { session } from '../api/session.ts';
import { Field } from './field.tsx';
import { useSession } from './permitted.tsx';

export function TokenPrompt() {
  const { refused } = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => inputRef.current?.focus(), []);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await session.signIn(token);
    } catch (failed) {
      setError(failed instanceof Error ? failed.message : String(failed));
      inputRef.current?.select();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form token-prompt" aria-labelledby="token-h" noValidate onSubmit={(e) => void submit(e)} data-token-prompt>
      <h1 id="token-h">Sign in</h1>
      <p>This Orrery requires an API token. Ask its administrator for one; it is kept in this browser tab only, until the tab closes.</p>
      {refused && !error && (
        <p class="field-error" role="alert">
          {refused}
        </p>
      )}
      <Field id="api-token" label="API token" error={error}>
        {(a) => <input {...a} ref={inputRef} type="password" autocomplete="off" spellcheck={false} value={token} onInput={(e) => setToken(e.currentTarget.value)} />}
      </Field>
      {error && (
        <p class="visually-hidden" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </div>
    </form>
  );
}
