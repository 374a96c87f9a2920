/**
 * Regenerates the README's screenshot of the jobs page (ui/docs/jobs-page.png) from a real `orrery up` with a
 * small demo: jobs that succeed, fail, run long, wait on parents, are disabled or have never run. Not a test:
 * run it after changing the jobs page (`npm run build` first):
 *
 *   node bin/run-ts.js test/e2e/readme-screenshot.ts
 *
 * It waits on what the API says (statuses, counts), never on fixed sleeps.
 */
import path from 'node:path';
import { startTestOrrery } from '../helpers/orrery.ts';
import { startTestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { ROOT, assertUiBuilt, launchBrowser, openPage } from './browser.ts';

type Json = Record<string, any>;

const DEMO: Json[] = [
  { name: 'backup-db', command: 'sleep 2', schedule: '*/5 * * * * *', description: 'Nightly-style dump, every 5 s for the demo', owner: 'ops' },
  { name: 'etl-extract', command: 'sleep 1', description: 'Pulls yesterday’s orders', owner: 'data' },
  { name: 'etl-clean', command: 'true', parents: ['etl-extract'], owner: 'data' },
  { name: 'etl-enrich', command: 'sleep 1', parents: ['etl-extract'], owner: 'data' },
  { name: 'etl-load', command: 'true', parents: ['etl-clean', 'etl-enrich'], owner: 'data' },
  { name: 'report-sales', command: 'sleep 600', schedule: '*/30 * * * * *', concurrencyPolicy: 'forbid', description: 'Long-running report', owner: 'finance' },
  { name: 'rotate-logs', command: 'true', schedule: '0 3 * * *', timeZone: 'Europe/Berlin', disabled: true, description: 'Paused during the migration', owner: 'ops' },
  { name: 'send-digest', command: 'true', schedule: '0 8 * * 1', timeZone: 'America/New_York', description: 'Monday morning summary', owner: 'growth' },
  { name: 'sync-inventory', command: 'false', schedule: '*/7 * * * * *', description: 'Pulls stock levels from the ERP', owner: 'ops' },
];

await assertUiBuilt();
const redis = await startTestRedis();
const orrery = await startTestOrrery(redis.url, { keyPrefix: 'readme', resources: 'cpus:4;mem:2048;disk:1000;ports:[31000-31100]' });
const browser = await launchBrowser();
try {
  const api = async (method: string, p: string, body?: unknown): Promise<Json> => {
    const res = await fetch(`${orrery.url}${p}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Json;
  };
  for (const job of DEMO) await api('POST', '/v1/jobs', { cpus: 0.1, mem: 16, ...job });
  await api('POST', '/v1/jobs/etl-extract/runs', {});
  const status = async (): Promise<Map<string, Json>> => new Map(((await api('GET', '/v1/jobs?limit=100')).jobs as Json[]).map((j) => [j.name, j]));
  await waitFor(
    async () => {
      const s = await status();
      return s.get('etl-load')?.status === 'success' && s.get('sync-inventory')?.status === 'failure' && s.get('report-sales')?.status === 'running' && (s.get('backup-db')?.stats.successCount ?? 0) >= 2 && s.get('backup-db')?.status === 'running';
    },
    { timeoutMs: 60_000, intervalMs: 100, message: 'a demo with every status' },
  );
  const { page, close } = await openPage(browser, `${orrery.url}/#/jobs`);
  await page.setViewportSize({ width: 1280, height: 560 });
  await page.locator('tr[data-job="backup-db"] .badge', { hasText: 'running' }).waitFor();
  await page.locator('tr[data-job="backup-db"] td[data-col="p50"]', { hasText: /s$/ }).waitFor();
  const out = path.join(ROOT, 'ui/docs/jobs-page.png');
  await page.screenshot({ path: out });
  await close();
  process.stdout.write(`wrote ${path.relative(ROOT, out)}\n`);
} finally {
  await browser.close();
  await orrery.stop();
  await redis.stop();
}
