import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { LeaderContenderEvents } from '../../../core/coordination/leader-contender.ts';
import { MetricsRegistry } from '../metrics.ts';
import { registerHaMetrics } from './ha-metrics.ts';

class FakeContender extends EventEmitter<LeaderContenderEvents> {
  isLeader = false;
  epoch = 0;
}

describe('HA metrics', () => {
  it('follow the contender: leader and epoch at scrape time; elections, failovers, losses and renewals from its events', async () => {
    const metrics = new MetricsRegistry({ defaultMetrics: false });
    const c = new FakeContender();
    registerHaMetrics(metrics, c);
    let text = await metrics.text();
    expect(text).toContain('orrery_ha_leader 0');
    expect(text).toContain('orrery_ha_failovers_total 0');
    expect(text).toContain('orrery_ha_leadership_lost_total{reason="lease-lost"} 0');

    // A first term (epoch 1) is no failover; a later one (epoch 3) took over from another leader.
    c.emit('elected', { epoch: 1 });
    c.emit('renew', { epoch: 1, ms: 2, result: 'renewed' });
    c.emit('renew', { epoch: 1, ms: 400, result: 'failed' });
    c.emit('lost', { epoch: 1, reason: 'renew-failing' });
    Object.assign(c, { isLeader: true, epoch: 3 });
    c.emit('elected', { epoch: 3 });
    text = await metrics.text();
    expect(text).toContain('orrery_ha_leader 1');
    expect(text).toContain('orrery_ha_epoch 3');
    expect(text).toContain('orrery_ha_elections_total 2');
    expect(text).toContain('orrery_ha_failovers_total 1');
    expect(text).toContain('orrery_ha_leadership_lost_total{reason="renew-failing"} 1');
    expect(text).toContain('orrery_ha_lease_renew_seconds_count{result="renewed"} 1');
    expect(text).toContain('orrery_ha_lease_renew_seconds_bucket{le="0.0025",result="renewed"} 1');
    expect(text).toContain('orrery_ha_lease_renew_seconds_count{result="failed"} 1');
    expect(text).toContain('orrery_ha_lease_renew_seconds_bucket{le="0.25",result="failed"} 0');
  });
});
