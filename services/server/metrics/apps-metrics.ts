/**
 * Prometheus metrics of the apps service, read from its memory at scrape time: instances wanted / running /
 * healthy per app (label `app`: one series per app, never per task), deployments and launch backoffs.
 */
import type { AppsService } from '../../../services/apps/apps-service.ts';
import { oncePerScrape, type MetricsRegistry } from '../metrics.ts';

export function registerAppsMetrics(metrics: MetricsRegistry, apps: () => AppsService | undefined): void {
  // One read of the service per scrape feeds every gauge and counter below.
  const stats = oncePerScrape(() => apps()?.stats());
  const perApp = (): NonNullable<ReturnType<typeof stats>>['apps'] => stats()?.apps ?? [];
  const appGauge = (name: string, help: string, pick: (a: ReturnType<typeof perApp>[number]) => number): void => {
    metrics.gauge({
      name,
      help,
      labelNames: ['app'],
      collect() {
        this.reset();
        for (const a of perApp()) this.set({ app: a.id }, pick(a));
      },
    });
  };
  appGauge('orrery_apps_instances_wanted', 'Instances an app is configured for', (a) => a.counts.wanted);
  appGauge('orrery_apps_instances_running', 'Instances of an app that are RUNNING (not being killed)', (a) => a.counts.running);
  appGauge('orrery_apps_instances_healthy', 'RUNNING instances of an app whose health checks all pass', (a) => a.counts.healthy);
  appGauge('orrery_apps_instances_staged', 'Instances of an app launched and not RUNNING yet', (a) => a.counts.staged);
  appGauge('orrery_apps_backoff_delayed', 'Whether an app waits out a launch backoff now (1) or not (0)', (a) => (a.delayed ? 1 : 0));
  metrics.gauge({
    name: 'orrery_apps_deployments_running',
    help: 'Deployments in progress',
    collect() {
      this.set(stats()?.deploymentsRunning ?? 0);
    },
  });
  metrics.counter({
    name: 'orrery_apps_deployments_started_total',
    help: 'Deployments started (create, update, scale, restart, delete, rollback, revert)',
    collect() {
      const s = stats();
      if (!s) return;
      this.reset();
      this.inc(s.counters.deploymentsStarted);
    },
  });
  metrics.counter({
    name: 'orrery_apps_deployments_total',
    help: 'Deployments that ended, by status (SUCCEEDED, FAILED, CANCELLED)',
    labelNames: ['status'],
    collect() {
      const s = stats();
      if (!s) return;
      this.reset();
      for (const status of ['SUCCEEDED', 'FAILED', 'CANCELLED']) this.inc({ status }, s.counters.deploymentsEnded.get(status) ?? 0);
    },
  });
  metrics.counter({
    name: 'orrery_apps_backoffs_total',
    help: "Task failures that started or lengthened an app's launch backoff",
    collect() {
      const s = stats();
      if (!s) return;
      this.reset();
      this.inc(s.counters.backoffs);
    },
  });
  metrics.counter({
    name: 'orrery_apps_health_kills_total',
    help: 'Instances killed because their health checks failed',
    collect() {
      const s = stats();
      if (!s) return;
      this.reset();
      this.inc(s.counters.healthKills);
    },
  });
}
