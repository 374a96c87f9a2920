/** New app: its definition as JSON (POST /v1/apps), starting from a small template; the API's messages are listed by field. */
import { useState } from 'preact/hooks';
import { ApiProblem } from '../api/http.ts';
import { appActions } from '../api/apps.ts';
import { Field } from '../components/field.tsx';
import { href, navigate } from '../router.ts';

const TEMPLATE = {
  id: '/demo/web',
  cmd: 'python3 -m http.server $PORT0',
  instances: 1,
  cpus: 0.1,
  mem: 64,
  ports: [{ port: 0, name: 'http' }],
  healthChecks: [{ protocol: 'HTTP', path: '/', gracePeriodSeconds: 10, intervalSeconds: 5, timeoutSeconds: 2 }],
};

export function AppFormPage() {
  const [json, setJson] = useState(JSON.stringify(TEMPLATE, null, 2));
  const [problem, setProblem] = useState<ApiProblem>();
  const [parseError, setParseError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(json) as Record<string, unknown>;
      setParseError(undefined);
    } catch (err) {
      setParseError(`not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    setBusy(true);
    try {
      const change = await appActions.create(body);
      navigate(href(['apps', String(change.app?.id ?? body.id)]));
    } catch (err) {
      setProblem(err instanceof ApiProblem ? err : new ApiProblem(0, 'CLIENT', String(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p class="crumbs">
        <a href={href(['apps'])}>← Apps</a>
      </p>
      <h1>New app</h1>
      <form class="card form" noValidate onSubmit={(e) => void submit(e)} aria-label="New app">
        <Field id="app-json" label="Definition (JSON, as POST /v1/apps takes it; see /docs)" error={parseError}>
          {(a) => <textarea {...a} class="json" rows={16} value={json} onInput={(e) => setJson(e.currentTarget.value)} spellcheck={false} />}
        </Field>
        {problem && (
          <div class="field-error form-error" role="alert" data-field-error="form">
            <p>
              <span aria-hidden="true">✗ </span>
              {problem.detail}
            </p>
            {problem.errors.length > 0 && (
              <ul>
                {problem.errors.map((f) => (
                  <li key={f.field}>
                    <code>{f.field}</code> {f.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create app'}
          </button>
          <a href={href(['apps'])}>Cancel</a>
        </div>
      </form>
    </>
  );
}
