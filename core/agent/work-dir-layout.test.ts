import { describe, expect, it } from 'vitest';
import { isSafeId, WorkDirLayout } from './work-dir-layout.ts';

describe('isSafeId', () => {
  it('accepts ids made of [A-Za-z0-9_.:-]', () => {
    for (const id of ['t1', 'job.run-2026:01_x', 'a.b']) expect(isSafeId(id), id).toBe(true);
  });

  it('rejects anything that could name another path', () => {
    for (const id of ['', '.', '..', 'a..b', '../x', 'a/b', 'a\\b', '/abs', 'sp ace', 'nul\0', 'x'.repeat(201), 42, undefined]) {
      expect(isSafeId(id), String(id)).toBe(false);
    }
  });
});

describe('WorkDirLayout', () => {
  it('places meta and sandboxes under the root', () => {
    const layout = new WorkDirLayout('/w');
    expect(layout.checkpointFile).toBe('/w/meta/checkpoint.jsonl');
    expect(layout.legacyTaskFile('t')).toBe('/w/meta/tasks/t/task.json');
    expect(layout.legacyUpdatesFile('t')).toBe('/w/meta/tasks/t/updates.jsonl');
    expect(layout.sandboxDir('f', 't', 'r')).toBe('/w/sandboxes/f/t/r');
    expect(layout.agentFile).toBe('/w/meta/agent.json');
  });
});
