/**
 * Prometheus metrics of the jobs service: runs by result and lateness (hooks on this replica's runs), active
 * runs, jobs defined and the BullMQ trigger queue's depth (read at scrape time). Labels are run states and
 * causes, never job names or run ids.
 */
import type { JobsObserver } from '../../../services/jobs/run-supervisor.ts';
import type { JobsService } from '../../../services/jobs/jobs-service.ts';
import type { Logger } from '../../../core/logging/logger.ts';
import type { MetricsRegistry } from '../metrics.ts';

/** A scrape waits this long for the queue's counts; a Redis that does not answer leaves the gauge empty. */
const QUEUE_COUNT_TIMEOUT_MS = 1000;

export function jobsObserver(metrics: MetricsRegistry): Required<JobsObserver> {
  const ended = metrics.counter({ name: 'orrery_jobs_runs_total', help: 'Runs that ended, by result (SUCCEEDED, FAILED, KILLED, MISSED, SKIPPED) and cause', labelNames: ['result', 'cause'] });
  const lateness = metrics.histogram({
    name: 'orrery_jobs_run_lateness_seconds',
    help: "Delay from a run's due time to the launch of its task, by cause",
    labelNames: ['cause'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  });
  return {
    runEnded: (run) => ended.inc({ result: run.state, cause: run.cause }),
    runLaunched: (run, ms) => lateness.observe({ cause: run.cause }, Math.max(0, ms) / 1000),
  };
}

export function registerJobsMetrics(metrics: MetricsRegistry, jobs: () => JobsService | undefined, log: Logger): void {
  metrics.gauge({
    name: 'orrery_jobs_defined',
    help: 'Jobs defined',
    collect() {
      this.set(jobs()?.stats().jobs ?? 0);
    },
  });
  metrics.gauge({
    name: 'orrery_jobs_active_runs',
    help: 'Runs not yet ended that this replica owns, by state (QUEUED, STARTING, RUNNING)',
    labelNames: ['state'],
    collect() {
      this.reset();
      const s = jobs()?.stats();
      if (!s) return;
      for (const state of ['QUEUED', 'STARTING', 'RUNNING'] as const) this.set({ state }, s.activeRuns.get(state) ?? 0);
    },
  });
  metrics.gauge({
    name: 'orrery_jobs_trigger_queue_depth',
    help: 'Triggers in the BullMQ queue, by state (delayed: not due yet, waiting: due, active: being handled, failed)',
    labelNames: ['state'],
    async collect() {
      this.reset();
      const service = jobs();
      if (!service) return;
      let timer: NodeJS.Timeout | undefined;
      try {
        const counts = await Promise.race([
          service.triggerQueueCounts(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${QUEUE_COUNT_TIMEOUT_MS} ms`)), QUEUE_COUNT_TIMEOUT_MS);
          }),
        ]);
        for (const [state, n] of Object.entries(counts ?? {})) this.set({ state }, n);
      } catch (e) {
        // A scrape must not fail because Redis is slow or away: the other metrics still say what is going on.
        log.warn({ err: e }, 'trigger queue depth not read');
      } finally {
        clearTimeout(timer);
      }
    },
  });
}
