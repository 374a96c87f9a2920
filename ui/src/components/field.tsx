/**
 * A labelled form field whose error (the API's message for that field) sits right under it, is tied to the
 * input with aria-describedby, and marks it aria-invalid.
 */
import type { ComponentChildren } from 'preact';

export interface FieldProps {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: (attrs: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ComponentChildren;
}

export function Field({ id, label, error, hint, children }: FieldProps) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': described || undefined })}
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="field-error" data-field-error={id}>
          <span aria-hidden="true">✗ </span>
          {error}
        </p>
      )}
    </div>
  );
}

/** A number as typed: `'0.5'` → 0.5, `''` → left out, anything else sent as typed so the API names the problem. */
export function numberOrRaw(v: string): number | string | undefined {
  const t = v.trim();
  if (t === '') return undefined;
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : t;
}

/** `KEY=value` lines → an object; blank lines skipped; a line without `=` is a key with an empty value. */
export function parseEnvLines(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let any = false;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const eq = line.indexOf('=');
    out[eq === -1 ? line.trim() : line.slice(0, eq).trim()] = eq === -1 ? '' : line.slice(eq + 1);
    any = true;
  }
  return any ? out : undefined;
}

/** Moves focus to the first invalid field of a form after a failed submit. */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
