import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from './metrics.ts';

describe('MetricsRegistry', () => {
  it('keeps each registry separate, so two servers can share a process', async () => {
    const a = new MetricsRegistry();
    const b = new MetricsRegistry({ defaultMetrics: false });
    a.counter({ name: 'orrery_test_things_total', help: 'things', labelNames: ['kind'] }).inc({ kind: 'x' }, 3);
    b.counter({ name: 'orrery_test_things_total', help: 'things', labelNames: ['kind'] }).inc({ kind: 'x' });
    expect(await a.text()).toContain('orrery_test_things_total{kind="x"} 3');
    expect(await b.text()).toContain('orrery_test_things_total{kind="x"} 1');
    expect(await a.text()).toContain('orrery_process_resident_memory_bytes');
    expect(await b.text()).not.toContain('orrery_process_');
    expect(a.contentType).toMatch(/^text\/plain/);
  });

  it('returns the metric already registered under a name, and refuses another type or prefix', () => {
    const m = new MetricsRegistry({ defaultMetrics: false });
    const g = m.gauge({ name: 'orrery_test_level', help: 'level' });
    expect(m.gauge({ name: 'orrery_test_level', help: 'level' })).toBe(g);
    expect(() => m.histogram({ name: 'orrery_test_level', help: 'level' })).toThrow(/another type/);
    expect(() => m.counter({ name: 'things_total', help: 'x' })).toThrow(/orrery_/);
  });
});
