/**
 * Prometheus metrics of the agents. Two sources, both read at scrape time:
 * - what the master knows of every agent it has (local or remote): tasks, isolators, resources total / used /
 *   offered, as `GET /v1/agents` reports them;
 * - the counters of the agents that run in this process (tasks launched and ended, isolator limitations,
 *   fetcher), which only the agent itself can count.
 * Labels: `agent` (id) and `hostname`, one series set per agent; never a task id.
 */
import type { Agent } from '../../../core/agent/agent.ts';
import type { Master } from '../../../core/master/master.ts';
import { agentView } from '../../../core/master/master-views.ts';
import type { Resources } from '../../../core/resources/types.ts';
import { oncePerScrape, type MetricsRegistry } from '../metrics.ts';

/** Scalars as they are; ranges and sets by how many values they hold (`ports` = number of ports). */
function amounts(r: Resources): Array<[string, number]> {
  const out: Array<[string, number]> = Object.entries(r.scalars);
  for (const [name, ranges] of Object.entries(r.ranges)) out.push([name, ranges.reduce((n, [b, e]) => n + e - b + 1, 0)]);
  for (const [name, items] of Object.entries(r.sets)) out.push([name, items.length]);
  return out;
}

export function registerAgentMetrics(metrics: MetricsRegistry, master: () => Master | undefined, local: () => readonly Agent[]): void {
  const perAgent = ['agent', 'hostname'] as const;
  // One pass over the master's agents per scrape feeds the five gauges below.
  const views = oncePerScrape(() => {
    const m = master();
    return m ? [...m.agents.values()].map((a) => agentView(m, a)) : [];
  });
  metrics.gauge({
    name: 'orrery_agent_tasks',
    help: 'Non-terminal tasks on an agent, as the master knows them',
    labelNames: [...perAgent],
    collect() {
      this.reset();
      for (const v of views()) this.set({ agent: v.id, hostname: v.hostname }, v.tasks);
    },
  });
  metrics.gauge({
    name: 'orrery_agent_isolator_info',
    help: 'Isolators an agent applies (1 per active isolator)',
    labelNames: [...perAgent, 'isolator'],
    collect() {
      this.reset();
      for (const v of views()) for (const isolator of v.isolators) this.set({ agent: v.id, hostname: v.hostname, isolator }, 1);
    },
  });
  const resourceGauge = (kind: 'total' | 'used' | 'offered', help: string): void => {
    metrics.gauge({
      name: `orrery_agent_resources_${kind}`,
      help,
      labelNames: [...perAgent, 'resource'],
      collect() {
        this.reset();
        for (const v of views()) for (const [resource, n] of amounts(v.resources[kind])) this.set({ agent: v.id, hostname: v.hostname, resource }, n);
      },
    });
  };
  resourceGauge('total', 'Resources an agent offers to the cluster (scalars; ranges and sets as counts)');
  resourceGauge('used', "Resources of an agent's non-terminal tasks");
  resourceGauge('offered', 'Resources of an agent in outstanding offers');

  const localLabels = (a: Agent): { agent: string } => ({ agent: a.agentId ?? 'unregistered' });
  metrics.gauge({
    name: 'orrery_agent_running_tasks',
    help: 'Tasks an agent of this process runs now (executors it watches)',
    labelNames: ['agent'],
    collect() {
      this.reset();
      for (const a of local()) this.set(localLabels(a), a.runningTasks());
    },
  });
  metrics.counter({
    name: 'orrery_agent_tasks_launched_total',
    help: 'Launches an agent of this process received',
    labelNames: ['agent'],
    collect() {
      this.reset();
      for (const a of local()) this.inc(localLabels(a), a.counters.tasksLaunched);
    },
  });
  metrics.counter({
    name: 'orrery_agent_tasks_ended_total',
    help: 'Terminal task updates an agent of this process sent, by state',
    labelNames: ['agent', 'state'],
    collect() {
      this.reset();
      for (const a of local()) for (const [state, n] of a.counters.tasksEnded) this.inc({ ...localLabels(a), state }, n);
    },
  });
  metrics.counter({
    name: 'orrery_agent_isolator_limitations_total',
    help: 'Tasks an isolator stopped for exceeding a limit, by reason (e.g. REASON_CONTAINER_LIMITATION_MEMORY)',
    labelNames: ['agent', 'reason'],
    collect() {
      this.reset();
      for (const a of local()) for (const [reason, n] of a.counters.limitations) this.inc({ ...localLabels(a), reason }, n);
    },
  });
  metrics.counter({
    name: 'orrery_agent_fetches_total',
    help: 'URIs the fetcher of an agent of this process fetched into sandboxes, by result',
    labelNames: ['agent', 'result'],
    collect() {
      this.reset();
      for (const a of local()) {
        this.inc({ ...localLabels(a), result: 'ok' }, a.fetcherCounters.fetched);
        this.inc({ ...localLabels(a), result: 'failed' }, a.fetcherCounters.failed);
      }
    },
  });
  metrics.counter({
    name: 'orrery_agent_fetch_seconds_total',
    help: 'Time the fetcher of an agent of this process spent fetching URIs',
    labelNames: ['agent'],
    collect() {
      this.reset();
      for (const a of local()) this.inc(localLabels(a), a.fetcherCounters.seconds);
    },
  });
}
