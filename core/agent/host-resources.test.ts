import { statfsSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectHostResources } from './host-resources.ts';

describe('detectHostResources', () => {
  it('advertises cores, memory and disk with Mesos headroom, and the default port range', () => {
    const r = detectHostResources(tmpdir());
    const fs = statfsSync(tmpdir());
    const freeMb = Math.floor((fs.bavail * fs.bsize) / 1024 / 1024);
    expect(r.scalars.cpus).toBe(cpus().length);
    expect(r.scalars.mem).toBeGreaterThan(0);
    expect(r.scalars.disk).toBeLessThan(freeMb);
    expect(r.scalars.disk).toBeGreaterThanOrEqual(Math.min(freeMb - 5120, Math.floor(freeMb / 2)));
    expect(r.ranges.ports).toEqual([[31000, 32000]]);
  });

  it('uses the nearest existing ancestor of a work dir that does not exist yet', () => {
    expect(detectHostResources(join(tmpdir(), 'does', 'not', 'exist')).scalars.disk).toBeGreaterThan(0);
  });
});
