/**
 * "Run a command": POST /v1/tasks through the built-in execute framework. The browser does no validation of
 * its own (noValidate): the API's per-field messages are shown next to the fields, the rest above the button.
 */
import { useRef, useState } from 'preact/hooks';
import { ApiProblem, fieldMessages, request } from '../api/http.ts';
import type { TaskRef } from '../api/types.ts';
import { Field, focusFirstInvalid, numberOrRaw, parseEnvLines } from '../components/field.tsx';
import { href } from '../router.ts';
import { useCan } from '../components/permitted.tsx';

const FIELDS = ['command', 'name', 'cpus', 'mem', 'disk', 'resources', 'env'] as const;
type Values = Record<(typeof FIELDS)[number], string>;

const INITIAL: Values = { command: '', name: '', cpus: '0.1', mem: '32', disk: '', resources: '', env: '' };

export function RunForm({ onSubmitted }: { onSubmitted?: (ref: TaskRef) => void }) {
  const [values, setValues] = useState<Values>(INITIAL);
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState<TaskRef>();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = fieldMessages(problem, FIELDS);
  const permitted = useCan('operator');

  const set = (k: keyof Values) => (e: Event) => setValues({ ...values, [k]: (e.currentTarget as HTMLInputElement).value });

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setSubmitted(undefined);
    const body: Record<string, unknown> = { command: values.command, cpus: numberOrRaw(values.cpus), mem: numberOrRaw(values.mem) };
    if (values.name.trim()) body.name = values.name.trim();
    const disk = numberOrRaw(values.disk);
    if (disk !== undefined) body.disk = disk;
    if (values.resources.trim()) body.resources = values.resources.trim();
    const env = parseEnvLines(values.env);
    if (env) body.env = env;
    try {
      const ref = await request<TaskRef>('POST', '/v1/tasks', body);
      setProblem(undefined);
      setSubmitted(ref);
      onSubmitted?.(ref);
    } catch (err) {
      setProblem(err instanceof ApiProblem ? err : new ApiProblem(0, 'CLIENT', String(err)));
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
    } finally {
      setBusy(false);
    }
  };

  if (!permitted) return null;
  return (
    <form ref={formRef} class="card form" aria-labelledby="run-h" noValidate onSubmit={(e) => void submit(e)}>
      <h2 id="run-h" class="card-title">
        Run a command
      </h2>
      <Field id="run-command" label="Command" error={errors.command} hint="Run with /bin/sh -c in a fresh sandbox">
        {(a) => <textarea {...a} rows={2} value={values.command} onInput={set('command')} placeholder="echo hello; sleep 1" spellcheck={false} />}
      </Field>
      <div class="row">
        <Field id="run-name" label="Name" error={errors.name}>
          {(a) => <input {...a} value={values.name} onInput={set('name')} placeholder="from the command" />}
        </Field>
        <Field id="run-cpus" label="CPUs" error={errors.cpus}>
          {(a) => <input {...a} inputMode="decimal" value={values.cpus} onInput={set('cpus')} />}
        </Field>
        <Field id="run-mem" label="Memory (MB)" error={errors.mem}>
          {(a) => <input {...a} inputMode="decimal" value={values.mem} onInput={set('mem')} />}
        </Field>
        <Field id="run-disk" label="Disk (MB)" error={errors.disk}>
          {(a) => <input {...a} inputMode="decimal" value={values.disk} onInput={set('disk')} placeholder="0" />}
        </Field>
      </div>
      <div class="row">
        <Field id="run-resources" label="More resources" error={errors.resources} hint="Mesos syntax, e.g. ports:[31000-31000]">
          {(a) => <input {...a} value={values.resources} onInput={set('resources')} spellcheck={false} />}
        </Field>
        <Field id="run-env" label="Environment" error={errors.env} hint="One KEY=value per line">
          {(a) => <textarea {...a} rows={1} value={values.env} onInput={set('env')} spellcheck={false} />}
        </Field>
      </div>
      {errors[''] && (
        <p class="field-error form-error" role="alert" data-field-error="form">
          <span aria-hidden="true">✗ </span>
          {errors['']}
        </p>
      )}
      {problem && !errors[''] && (
        <p class="visually-hidden" role="alert">
          The server rejected the form: {problem.detail}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Submitting…' : 'Run'}
        </button>
        {submitted && (
          <span role="status" class="ok-text">
            <span aria-hidden="true">✓ </span>Submitted <a href={href(['tasks', submitted.id])}>{submitted.id}</a>
          </span>
        )}
      </div>
    </form>
  );
}
