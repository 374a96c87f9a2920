import { describe, expect, it } from 'vitest';
import { MetricsRegistry, oncePerScrape } from './metrics.ts';

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

  it('reads shared state once per scrape for the metrics filled from it, and afresh at the next scrape', async () => {
    const m = new MetricsRegistry({ defaultMetrics: false });
    let reads = 0;
    const state = oncePerScrape(() => ({ level: ++reads }));
    for (const name of ['orrery_test_a', 'orrery_test_b', 'orrery_test_c']) {
      m.gauge({
        name,
        help: name,
        collect() {
          this.set(state().level);
        },
      });
    }
    expect(await m.text()).toMatch(/orrery_test_a 1\n[^]*orrery_test_b 1\n[^]*orrery_test_c 1\n/);
    expect(await m.text()).toMatch(/orrery_test_a 2\n[^]*orrery_test_c 2\n/);
    expect(reads).toBe(2);
  });
});
