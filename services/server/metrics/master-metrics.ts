/** Prometheus metrics of the master, read from its live state at scrape time (nothing to keep in sync). */
import type { Master, MasterObserver } from '../../../core/master/master.ts';
import { TASK_STATES } from '../../../core/sdk/protocol.ts';
import { AgentState } from '../../../core/master/records.ts';
import type { MetricsRegistry } from '../metrics.ts';

/** The master's hooks for what only an event can tell: allocation cycle time and status update latency. */
export function masterObserver(metrics: MetricsRegistry): Required<Pick<MasterObserver, 'allocationCycle' | 'updateAcknowledged'>> {
  const cycle = metrics.histogram({
    name: 'orrery_master_allocation_cycle_seconds',
    help: 'Time of one allocation cycle',
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1],
  });
  const latency = metrics.histogram({
    name: 'orrery_master_status_update_latency_seconds',
    help: "Status update round trip: from the update's creation on the agent to the framework's acknowledgement at the master (agent and master clocks)",
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
  return {
    allocationCycle: (ms) => cycle.observe(ms / 1000),
    // A skewed agent clock could make it negative: count it as instant rather than lose it.
    updateAcknowledged: (status, now) => latency.observe(Math.max(0, now - status.timestamp) / 1000),
  };
}

export function registerMasterMetrics(metrics: MetricsRegistry, master: () => Master | undefined): void {
  metrics.gauge({
    name: 'orrery_master_agents',
    help: 'Agents known to the master, by state',
    labelNames: ['state'],
    collect() {
      const m = master();
      this.reset();
      if (!m) return;
      const counts = new Map<string, number>(Object.values(AgentState).map((s) => [s, 0]));
      for (const a of m.agents.values()) counts.set(a.state, (counts.get(a.state) ?? 0) + 1);
      for (const [state, n] of counts) this.set({ state }, n);
    },
  });
  metrics.gauge({
    name: 'orrery_master_frameworks',
    help: 'Registered frameworks, by whether they are connected',
    labelNames: ['active'],
    collect() {
      const m = master();
      this.reset();
      if (!m) return;
      let active = 0;
      for (const f of m.frameworks.values()) if (f.active) active++;
      this.set({ active: 'true' }, active);
      this.set({ active: 'false' }, m.frameworks.size - active);
    },
  });
  metrics.gauge({
    name: 'orrery_master_tasks',
    help: 'Tasks the master holds, by state (terminal ones as long as the master keeps them: 10,000 by default)',
    labelNames: ['state'],
    collect() {
      const m = master();
      this.reset();
      if (!m) return;
      const counts = m.tasks.countByState();
      for (const state of TASK_STATES) this.set({ state }, counts.get(state) ?? 0);
    },
  });
  metrics.gauge({
    name: 'orrery_master_outstanding_offers',
    help: 'Offers made and not yet answered',
    collect() {
      this.set(master()?.offers.size ?? 0);
    },
  });
  const counter = (name: string, help: string, key: keyof Master['counters']): void => {
    metrics.counter({
      name,
      help,
      collect() {
        const m = master();
        if (!m) return;
        this.reset();
        this.inc(m.counters[key]);
      },
    });
  };
  counter('orrery_master_offers_made_total', 'Offers sent to frameworks', 'offersMade');
  counter('orrery_master_offers_accepted_total', 'Offers accepted', 'offersAccepted');
  counter('orrery_master_offers_declined_total', 'Offers declined', 'offersDeclined');
  counter('orrery_master_offers_rescinded_total', 'Offers rescinded (timeout, suppress, agent lost, framework gone)', 'offersRescinded');
  counter('orrery_master_tasks_launched_total', 'Tasks launched', 'tasksLaunched');
  counter('orrery_master_status_updates_total', 'Agent status updates applied', 'statusUpdates');
  counter('orrery_master_allocation_runs_total', 'Allocation cycles run', 'allocationRuns');
}
