import { describe, expect, it } from 'vitest';
import { OfferFilters, type FilterHolder } from './offer-filters.ts';
import { res } from './test-support.ts';

const holder = (): FilterHolder => ({ filters: [], filterOwners: [] });

describe('OfferFilters', () => {
  it('filters only while unexpired and only when the available set fits in what was refused', () => {
    const filters = new OfferFilters();
    const agent = holder();
    filters.add(1, agent, res('cpus:2;mem:1024'), 5000);
    expect(filters.isFiltered(1, agent, res('cpus:1;mem:512'), 0)).toBe(true);
    expect(filters.isFiltered(2, agent, res('cpus:1;mem:512'), 0)).toBe(false);
    expect(filters.isFiltered(1, agent, res('cpus:3;mem:512'), 0)).toBe(false);
    expect(filters.isFiltered(1, agent, res('cpus:1;mem:512'), 5000)).toBe(false);
    filters.expire(4999);
    expect(filters.count()).toBe(1);
    filters.expire(5000);
    expect(filters.count()).toBe(0);
    expect(agent.filters).toEqual([]);
    expect(agent.filterOwners).toEqual([]);
  });

  it('clears by framework and by agent, and stays correct after compacting early-cleared filters', () => {
    const filters = new OfferFilters();
    const agents = Array.from({ length: 1500 }, holder);
    const refused = res('cpus:1');
    agents.forEach((a, i) => {
      filters.add(1, a, refused, 3_600_000 + i);
      filters.add(1, a, refused, 7_200_000);
      filters.add(2, a, refused, 10_000);
    });
    expect(filters.count()).toBe(4500);
    filters.clearFramework(1, agents);
    expect(filters.count()).toBe(1500);
    expect(agents.every((a) => a.filterOwners.every((o) => o === 2))).toBe(true);
    filters.clearHolder(agents[0]);
    expect(filters.count()).toBe(1499);
    filters.add(1, agents[0], refused, 20_000);
    filters.expire(10_000);
    expect(filters.count()).toBe(1);
    expect(filters.isFiltered(1, agents[0], refused, 10_000)).toBe(true);
    filters.expire(20_000);
    expect(filters.count()).toBe(0);
    expect(filters.isFiltered(1, agents[0], refused, 10_000)).toBe(false);
  });
});
