/**
 * An app's instance count as typed in the scale box. Checked in the browser, not left to the API: an empty box
 * read with `Number('')` is 0, a suspend. Pure.
 */
export type ParsedInstances = { ok: true; value: number } | { ok: false; message: string };

export function parseInstances(typed: string): ParsedInstances {
  const s = typed.trim();
  if (s === '') return { ok: false, message: 'Enter a number of instances (0 or more).' };
  if (!/^\d+$/.test(s)) return { ok: false, message: 'Instances must be a whole number, 0 or more.' };
  const value = Number(s);
  if (!Number.isSafeInteger(value)) return { ok: false, message: 'That number is too large.' };
  return { ok: true, value };
}
