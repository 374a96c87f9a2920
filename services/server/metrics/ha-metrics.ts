/**
 * Prometheus metrics of leadership (Redis lease + fencing epoch): whether this process leads, the epoch, lease
 * renew latency and the terms won and lost. Register before the first `campaign()`, or its election is missed.
 */
import type { EventEmitter } from 'node:events';
import type { LeaderContenderEvents } from '../../../core/coordination/leader-contender.ts';
import type { MetricsRegistry } from '../metrics.ts';

/** What the metrics need of a `RedisLeaderContender`: its state and its events. */
export interface Leadership extends Pick<EventEmitter<LeaderContenderEvents>, 'on'> {
  readonly isLeader: boolean;
  readonly epoch: number;
}

export function registerHaMetrics(metrics: MetricsRegistry, contender: Leadership): void {
  metrics.gauge({
    name: 'orrery_ha_leader',
    help: 'Whether this process holds the leader lease (1) or not (0)',
    collect() {
      this.set(contender.isLeader ? 1 : 0);
    },
  });
  metrics.gauge({
    name: 'orrery_ha_epoch',
    help: "Fencing epoch of this process's current (or last) term; it grows by one at every election in the cluster",
    collect() {
      this.set(contender.epoch);
    },
  });
  const renew = metrics.histogram({
    name: 'orrery_ha_lease_renew_seconds',
    help: 'Time of one lease renewal (compare-and-extend script), by result (renewed, lost, failed)',
    labelNames: ['result'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  });
  const elections = metrics.counter({ name: 'orrery_ha_elections_total', help: 'Terms this process won' });
  const failovers = metrics.counter({ name: 'orrery_ha_failovers_total', help: 'Terms this process won after an earlier leader (epoch > 1): it took over the cluster' });
  const lost = metrics.counter({ name: 'orrery_ha_leadership_lost_total', help: 'Terms this process lost without resigning, by reason (lease-lost, renew-failing)', labelNames: ['reason'] });
  renew.zero({ result: 'renewed' });
  lost.inc({ reason: 'lease-lost' }, 0);
  lost.inc({ reason: 'renew-failing' }, 0);
  contender.on('renew', ({ ms, result }) => renew.observe({ result }, ms / 1000));
  contender.on('elected', ({ epoch }) => {
    elections.inc();
    if (epoch > 1) failovers.inc();
  });
  contender.on('lost', ({ reason }) => lost.inc({ reason }));
}
