import { describe, expect, it } from 'vitest';
import { jobInputOf, parseJobInput, storedJobFrom } from './job-model.ts';

const now = Date.parse('2026-01-01T00:00:00Z');

describe('parseJobInput', () => {
  it('fills in defaults and gives back what was written', () => {
    const r = parseJobInput({ name: 'a', command: 'echo hi', schedule: '  */5   * * * * ', resources: 'cassandra-slot:1' }, now);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value).toMatchObject({ schedule: '*/5 * * * *', timeZone: 'UTC', retries: 0, concurrencyPolicy: 'allow', missedRunPolicy: 'once', latenessLimitMs: null, timeoutMs: null });
    expect(r.value.resources.scalars).toEqual({ cpus: 0.1, mem: 128, 'cassandra-slot': 1 });
    const again = parseJobInput(jobInputOf(r.value), now);
    expect(again.ok && again.value).toEqual(r.value);
  });

  it('names every bad field at once', () => {
    const r = parseJobInput({ name: 'x', command: ' ', schedule: '61 * * * *', timeZone: 'Nowhere/Land', parents: ['y'], resources: 'cpus:2', cpus: 0, mem: 0, backoff: { initialMs: 10, maxMs: 5 }, uris: ['ftp://x'] }, now);
    expect(r.ok).toBe(false);
    const fields = !r.ok ? r.error.map((e) => e.field).sort() : [];
    expect(fields).toEqual(['backoff.maxMs', 'command', 'cpus', 'parents', 'resources', 'timeZone', 'uris[0]']);
  });

  it('accepts a manual-only job (no schedule, no parents) and rejects a parent listed twice', () => {
    expect(parseJobInput({ name: 'm', command: ['/bin/true'] }, now).ok).toBe(true);
    const r = parseJobInput({ name: 'c', command: 'true', parents: ['p', 'p'] }, now);
    expect(!r.ok && r.error[0]).toEqual({ field: 'parents[1]', message: 'parent "p" is listed twice' });
  });
});

describe('storedJobFrom', () => {
  const spec = parseJobInput({ name: 'a', command: 'true' }, now);
  if (!spec.ok) throw new Error(JSON.stringify(spec.error));

  it('keeps a stored revision, and gives a definition stored before revisions its generation as one', () => {
    const stored = { ...spec.value, createdAt: now, updatedAt: now, generation: 13, revision: 2 };
    expect(storedJobFrom(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
    const { revision: _r, ...older } = stored;
    expect(storedJobFrom(JSON.parse(JSON.stringify(older)))).toEqual({ ...older, revision: 13 });
  });

  it('refuses what is not a definition', () => {
    expect(storedJobFrom({ name: 'a' })).toBeUndefined();
    expect(storedJobFrom(null)).toBeUndefined();
  });
});
