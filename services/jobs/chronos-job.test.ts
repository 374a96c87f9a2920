import { describe, expect, it } from 'vitest';
import { fromChronos, retainWallClock, toChronos } from './chronos-job.ts';
import { parseJobInput, type StoredJob } from './job-model.ts';

describe('Chronos job JSON', () => {
  it('reads the start in scheduleTimeZone, as Chronos did (offset ignored)', () => {
    expect(retainWallClock('R/2018-09-01T02:00:00.000-07:00/P1D')).toBe('R/2018-09-01T02:00:00.000/P1D');
    expect(retainWallClock('R5//PT1H')).toBe('R5//PT1H');
  });

  it('maps Chronos fields to ours and back, keeping fields it does not act on', () => {
    const chronos = {
      name: 'export',
      command: '/opt/export.sh',
      arguments: ['--all'],
      shell: false,
      schedule: 'R/2018-09-01T02:00:00Z/P1D',
      epsilon: 'PT30M',
      owner: 'ops@example.com',
      ownerName: 'Ops',
      concurrent: true,
      cpus: 0,
      maxCompletionTime: 60,
      environmentVariables: [{ name: 'ENV', value: 'prod' }],
      constraints: [['rack', 'EQUALS', 'a']],
      highPriority: true,
    };
    const r = fromChronos(chronos, 'iso8601');
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.input).toMatchObject({ command: ['/opt/export.sh', '--all'], latenessLimitMs: 1_800_000, concurrencyPolicy: 'allow', retries: 2, cpus: 0.1, mem: 128, disk: 256, timeoutMs: 60_000, env: { ENV: 'prod' } });
    expect(r.value.extras).toEqual({ ownerName: 'Ops', highPriority: true });
    const spec = parseJobInput(r.value.input, 0);
    if (!spec.ok) throw new Error(JSON.stringify(spec.error));
    const stored: StoredJob = { ...spec.value, createdAt: 0, updatedAt: 0, generation: 1, revision: 1, chronosExtras: r.value.extras };
    const back = toChronos(stored, { successCount: 1, errorCount: 0, errorsSinceLastSuccess: 0, lastSuccess: 0 });
    expect(back).toMatchObject({ ...chronos, cpus: 0.1, async: false, successCount: 1, lastSuccess: '1970-01-01T00:00:00.000Z', lastError: '', epsilon: 'PT1800S' });
  });

  it('refuses what the route cannot take', () => {
    const r = fromChronos({ name: 'x', command: 'true', async: true, epsilon: 'P1M' }, 'dependency');
    expect(!r.ok && r.error.map((e) => e.field)).toEqual(['parents', 'async', 'epsilon']);
  });
});
