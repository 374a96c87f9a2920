/**
 * Create or edit a job: a form of the common fields, or the whole definition as JSON. Editing starts from the
 * job as the API returns it, so fields the form does not show (labels, uris, constraints, backoff…) are kept,
 * and its `version` makes the write fail with 409 if someone changed the job meanwhile. The API validates;
 * its messages appear next to the fields (or under the JSON).
 */
import { useRef, useState } from 'preact/hooks';
import { ApiProblem, fieldMessages } from '../api/http.ts';
import { definitionOf, jobActions, jobPath, type Job } from '../api/jobs.ts';
import { Field, focusFirstInvalid, numberOrRaw, parseEnvLines } from '../components/field.tsx';
import { Loaded } from '../components/page-state.tsx';
import { useResource } from '../live/use-resource.ts';
import { href, navigate } from '../router.ts';

const FIELDS = ['name', 'command', 'schedule', 'timeZone', 'parents', 'cpus', 'mem', 'disk', 'resources', 'env', 'retries', 'timeoutMs', 'concurrencyPolicy', 'owner', 'description', 'disabled'] as const;
type FieldName = (typeof FIELDS)[number];
type Values = Record<Exclude<FieldName, 'disabled'>, string> & { disabled: boolean };

const EMPTY: Values = { name: '', command: '', schedule: '', timeZone: 'UTC', parents: '', cpus: '0.1', mem: '128', disk: '', resources: '', env: '', retries: '0', timeoutMs: '', concurrencyPolicy: 'allow', owner: '', description: '', disabled: false };

function valuesOf(def: Record<string, unknown>): Values {
  const s = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
  const command = Array.isArray(def.command) ? (def.command as string[]).join(' ') : s(def.command);
  const env = def.env && typeof def.env === 'object' ? Object.entries(def.env as Record<string, string>).map(([k, v]) => `${k}=${v}`).join('\n') : '';
  return {
    name: s(def.name),
    command,
    schedule: s(def.schedule),
    timeZone: s(def.timeZone) || 'UTC',
    parents: Array.isArray(def.parents) ? (def.parents as string[]).join(', ') : '',
    cpus: s(def.cpus),
    mem: s(def.mem),
    disk: def.disk ? s(def.disk) : '',
    resources: s(def.resources),
    env,
    retries: s(def.retries ?? 0),
    timeoutMs: s(def.timeoutMs),
    concurrencyPolicy: s(def.concurrencyPolicy) || 'allow',
    owner: s(def.owner),
    description: s(def.description),
    disabled: def.disabled === true,
  };
}

/** Form values over `base` (the stored definition when editing): the fields shown replace, the rest stay. */
function bodyOf(v: Values, base: Record<string, unknown>): Record<string, unknown> {
  const b: Record<string, unknown> = { ...base };
  const set = (k: string, value: unknown): void => {
    if (value === undefined || value === '') delete b[k];
    else b[k] = value;
  };
  set('name', v.name.trim());
  // An argv job edited in the form keeps argv only if its text is unchanged; otherwise it becomes a shell command.
  const argvText = Array.isArray(base.command) ? (base.command as string[]).join(' ') : undefined;
  set('command', argvText !== undefined && argvText === v.command ? base.command : v.command);
  set('schedule', v.schedule.trim());
  set('timeZone', v.timeZone.trim());
  const parents = v.parents.split(/[,\s]+/).filter(Boolean);
  set('parents', parents.length > 0 ? parents : undefined);
  if (parents.length > 0 && !v.schedule.trim()) delete b.schedule;
  set('cpus', numberOrRaw(v.cpus));
  set('mem', numberOrRaw(v.mem));
  set('disk', numberOrRaw(v.disk));
  set('resources', v.resources.trim());
  set('env', parseEnvLines(v.env));
  set('retries', numberOrRaw(v.retries));
  set('timeoutMs', numberOrRaw(v.timeoutMs));
  set('concurrencyPolicy', v.concurrencyPolicy);
  set('owner', v.owner.trim());
  set('description', v.description.trim());
  b.disabled = v.disabled;
  return b;
}

const ZONES: string[] = (() => {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf ? ['UTC', ...intl.supportedValuesOf('timeZone')] : ['UTC'];
})();

function JobEditor({ existing }: { existing?: Job }) {
  const base = existing ? definitionOf(existing) : {};
  const [values, setValues] = useState<Values>(existing ? valuesOf(base) : EMPTY);
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [json, setJson] = useState('');
  const [jsonError, setJsonError] = useState<string>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const errors = fieldMessages(problem, mode === 'form' ? FIELDS : []);

  const set = (k: keyof Values) => (e: Event) => {
    const el = e.currentTarget as HTMLInputElement;
    setValues({ ...values, [k]: el.type === 'checkbox' ? el.checked : el.value });
  };

  const switchTo = (next: 'form' | 'json'): void => {
    if (next === mode) return;
    if (next === 'json') {
      setJson(JSON.stringify(bodyOf(values, base), null, 2));
      setJsonError(undefined);
    } else {
      try {
        setValues(valuesOf(JSON.parse(json) as Record<string, unknown>));
      } catch (e) {
        setJsonError(`not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
    }
    setProblem(undefined);
    setMode(next);
  };

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    let body: Record<string, unknown>;
    if (mode === 'json') {
      try {
        body = JSON.parse(json) as Record<string, unknown>;
      } catch (err) {
        setJsonError(`not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      setJsonError(undefined);
    } else body = bodyOf(values, base);
    setBusy(true);
    try {
      const job = await jobActions.put(body);
      setProblem(undefined);
      navigate(href(['jobs', job.name]));
    } catch (err) {
      setProblem(err instanceof ApiProblem ? err : new ApiProblem(0, 'CLIENT', String(err)));
      requestAnimationFrame(() => focusFirstInvalid(formRef.current));
    } finally {
      setBusy(false);
    }
  };

  const input = (k: Exclude<keyof Values, 'disabled'>, attrs: Record<string, unknown> = {}) => (a: Record<string, unknown>) => <input {...a} {...attrs} value={values[k]} onInput={set(k)} />;

  return (
    <form ref={formRef} class="card form job-form" noValidate onSubmit={(e) => void submit(e)} aria-label={existing ? `Edit job ${existing.name}` : 'New job'}>
      <div class="seg" role="group" aria-label="Edit as">
        <button type="button" class="btn btn-seg" aria-pressed={mode === 'form'} onClick={() => switchTo('form')}>
          Form
        </button>
        <button type="button" class="btn btn-seg" aria-pressed={mode === 'json'} onClick={() => switchTo('json')}>
          JSON
        </button>
      </div>
      {mode === 'json' ? (
        <Field id="job-json" label="Definition (JSON, as POST /v1/jobs takes it)" error={jsonError}>
          {(a) => <textarea {...a} rows={22} class="json" value={json} onInput={(e) => setJson(e.currentTarget.value)} spellcheck={false} />}
        </Field>
      ) : (
        <>
          <div class="row">
            <Field id="job-name" label="Name" error={errors.name} hint={existing ? 'A new name makes a new job' : 'Letters, digits, _ . -'}>
              {input('name', { spellcheck: false })}
            </Field>
            <Field id="job-owner" label="Owner" error={errors.owner}>
              {input('owner')}
            </Field>
          </div>
          <Field id="job-command" label="Command" error={errors.command} hint="Run with /bin/sh -c">
            {(a) => <textarea {...a} rows={2} value={values.command} onInput={set('command')} spellcheck={false} />}
          </Field>
          <div class="row">
            <Field id="job-schedule" label="Schedule" error={errors.schedule} hint="Cron (*/5 * * * *, or 6 fields with seconds) or R/2026-12-01T02:00:00Z/PT24H; empty for dependent or manual-only jobs">
              {input('schedule', { spellcheck: false })}
            </Field>
            <Field id="job-timeZone" label="Time zone" error={errors.timeZone}>
              {input('timeZone', { list: 'job-zones', spellcheck: false })}
            </Field>
            <Field id="job-parents" label="Parents" error={errors.parents} hint="Runs after all of these succeeded (comma-separated)">
              {input('parents', { spellcheck: false })}
            </Field>
          </div>
          <datalist id="job-zones">
            {ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <div class="row">
            <Field id="job-cpus" label="CPUs" error={errors.cpus}>
              {input('cpus', { inputMode: 'decimal' })}
            </Field>
            <Field id="job-mem" label="Memory (MB)" error={errors.mem}>
              {input('mem', { inputMode: 'decimal' })}
            </Field>
            <Field id="job-disk" label="Disk (MB)" error={errors.disk}>
              {input('disk', { inputMode: 'decimal', placeholder: '0' })}
            </Field>
            <Field id="job-resources" label="More resources" error={errors.resources} hint="Mesos syntax">
              {input('resources', { spellcheck: false })}
            </Field>
          </div>
          <div class="row">
            <Field id="job-retries" label="Retries" error={errors.retries}>
              {input('retries', { inputMode: 'numeric' })}
            </Field>
            <Field id="job-timeoutMs" label="Timeout (ms)" error={errors.timeoutMs} hint="Empty: none">
              {input('timeoutMs', { inputMode: 'numeric' })}
            </Field>
            <Field id="job-concurrencyPolicy" label="When a run is due while one is active" error={errors.concurrencyPolicy}>
              {(a) => (
                <select {...a} value={values.concurrencyPolicy} onChange={set('concurrencyPolicy')}>
                  <option value="allow">allow: run both</option>
                  <option value="forbid">forbid: skip the new one</option>
                  <option value="replace">replace: kill the old one</option>
                </select>
              )}
            </Field>
          </div>
          <div class="row">
            <Field id="job-env" label="Environment" error={errors.env} hint="One KEY=value per line">
              {(a) => <textarea {...a} rows={2} value={values.env} onInput={set('env')} spellcheck={false} />}
            </Field>
            <Field id="job-description" label="Description" error={errors.description}>
              {(a) => <textarea {...a} rows={2} value={values.description} onInput={set('description')} />}
            </Field>
          </div>
          <label class="check">
            <input type="checkbox" checked={values.disabled} onChange={set('disabled')} /> Disabled (no scheduled or dependent runs)
          </label>
        </>
      )}
      {errors[''] && (
        <p class="field-error form-error" role="alert" data-field-error="form">
          <span aria-hidden="true">✗ </span>
          {errors['']}
        </p>
      )}
      {problem && !errors[''] && (
        <p class="visually-hidden" role="alert">
          The server rejected the job: {problem.detail}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : existing ? 'Save' : 'Create job'}
        </button>
        <a href={existing ? href(['jobs', existing.name]) : href(['jobs'])}>Cancel</a>
      </div>
    </form>
  );
}

export function JobFormPage({ name }: { name?: string }) {
  const job = useResource<Job>(name ? jobPath(name) : null);
  return (
    <>
      <p class="crumbs">
        <a href={name ? href(['jobs', name]) : href(['jobs'])}>← {name ?? 'Jobs'}</a>
      </p>
      <h1>{name ? `Edit ${name}` : 'New job'}</h1>
      {name ? (
        <Loaded data={job.data} error={job.error} what={`job ${name}`}>
          {(j) => <JobEditor key={`${j.name}@${j.version}`} existing={j} />}
        </Loaded>
      ) : (
        <JobEditor />
      )}
    </>
  );
}
