/**
 * Prometheus metrics of the apps service, read from its memory at scrape time: instances wanted / running /
 * healthy per app (label `app`: one series per app, never per task), deployments and launch backoffs.
 */
import type { AppsService } from '../../../services/apps/apps-service.ts';
import type { MetricsRegistry } from '../metrics.ts';

export function registerAppsMetrics(metrics: MetricsRegistry, apps: () => AppsService | undefined): void {
  // The first gauge's collect reads the service once per scrape for the instance gauges after it (a registry
  // collects in registration order).
  const wanted = metrics.gauge({ name: 'orrery_apps_instances_wanted', help: 'Instances an app is configured for', labelNames: ['app'], collect: () => fill() });
  const running = metrics.gauge({ name: 'orrery_apps_instances_running', help: 'Instances of an app that are RUNNING (not being killed)', labelNames: ['app'] });
  const healthy = metrics.gauge({ name: 'orrery_apps_instances_healthy', help: 'RUNNING instances of an app whose health checks all pass', labelNames: ['app'] });
  const staged = metrics.gauge({ name: 'orrery_apps_instances_staged', help: 'Instances of an app launched and not RUNNING yet', labelNames: ['app'] });
  const delayed = metrics.gauge({ name: 'orrery_apps_backoff_delayed', help: 'Whether an app waits out a launch backoff now (1) or not (0)', labelNames: ['app'] });
  const fill = (): void => {
    for (const g of [wanted, running, healthy, staged, delayed]) g.reset();
    for (const a of apps()?.stats().apps ?? []) {
      const app = { app: a.id };
      wanted.set(app, a.counts.wanted);
      running.set(app, a.counts.running);
      healthy.set(app, a.counts.healthy);
      staged.set(app, a.counts.staged);
      delayed.set(app, a.delayed ? 1 : 0);
    }
  };
  metrics.gauge({
    name: 'orrery_apps_deployments_running',
    help: 'Deployments in progress',
    collect() {
      this.set(apps()?.stats().deploymentsRunning ?? 0);
    },
  });
  metrics.counter({
    name: 'orrery_apps_deployments_started_total',
    help: 'Deployments started (create, update, scale, restart, delete, rollback, revert)',
    collect() {
      const s = apps()?.stats();
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
      const s = apps()?.stats();
      if (!s) return;
      this.reset();
      for (const status of ['SUCCEEDED', 'FAILED', 'CANCELLED']) this.inc({ status }, s.counters.deploymentsEnded.get(status) ?? 0);
    },
  });
  metrics.counter({
    name: 'orrery_apps_backoffs_total',
    help: "Task failures that started or lengthened an app's launch backoff",
    collect() {
      const s = apps()?.stats();
      if (!s) return;
      this.reset();
      this.inc(s.counters.backoffs);
    },
  });
  metrics.counter({
    name: 'orrery_apps_health_kills_total',
    help: 'Instances killed because their health checks failed',
    collect() {
      const s = apps()?.stats();
      if (!s) return;
      this.reset();
      this.inc(s.counters.healthKills);
    },
  });
}
