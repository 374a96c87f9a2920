/**
 * A clean stop of the apps service while its tasks are ending (on `orrery up` stop the agents kill theirs): no
 * launch, no relaunch, nothing written to a closed connection, no warning — and the next start learns from the
 * master what ended and replaces it.
 */
import { execFileSync } from 'node:child_process';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.ts';
import { AppsHarness, type Json } from './apps-harness.ts';

let h: AppsHarness;
const lines: Json[] = [];

beforeAll(async () => {
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  h = await AppsHarness.start({ logger });
}, 30_000);

afterAll(async () => {
  await h?.stop();
});

/** The apps service's own log lines (its components and its driver), at warn and above. */
function appsProblems(): Json[] {
  return lines.filter((l) => l.level >= 40 && (l.component === 'apps' || l.component === 'health-monitor' || l.framework === 'orrery-apps'));
}

/** Kills a task's process as its agent does on a clean stop (SIGTERM to the command under the executor). */
function killTask(taskId: string): void {
  const executorPid = h.cluster.master.tasks.get(taskId)!.executorPid!;
  const child = execFileSync('pgrep', ['-P', String(executorPid)]).toString().trim().split('\n')[0];
  process.kill(Number(child), 'SIGTERM');
}

describe('apps: clean stop', () => {
  it('stops launching first, ignores the tasks ending meanwhile, waits for in-flight work, then closes', async () => {
    const id = '/stop/web';
    expect((await h.call('POST', '/v1/apps', '/v1/apps', { id, cmd: 'exec sleep 600', cpus: 0.05, mem: 16, instances: 3, backoffSeconds: 0 })).status).toBe(201);
    await h.waitSteady(id, 3, { healthy: false });
    const before = await h.tasks(id);
    lines.length = 0;

    // The agents kill the tasks (as on a clean stop); the stop begins as the first end is being applied: its store
    // write is in flight, the other updates are on their way.
    for (const t of before) killTask(t.id);
    await new Promise<void>((resolve) => {
      const poll = (): void => {
        const ts = h.service.tasks(id);
        if (ts.ok && ts.value.length < 3) resolve();
        else setImmediate(poll);
      };
      poll();
    });
    await h.service.stop();
    // A change arriving now is refused as unavailable, not written to the closed store.
    const late = await h.service.scaleApp(id, 5);
    expect(late.ok ? undefined : late.error.code).toBe('UNAVAILABLE');

    await waitFor(() => before.every((t) => ['KILLED', 'FAILED'].includes(String(h.cluster.master.tasks.get(t.id)?.state))), { timeoutMs: 10_000, message: 'the master saw the tasks end' });
    // Nothing launched on the way out (a relaunch of the ended tasks would show as a new task of the app).
    const ofApp = [...h.cluster.master.tasks.all()].filter((t) => t.info.name === id);
    expect(ofApp.map((t) => t.info.taskId).sort()).toEqual(before.map((t) => t.id).sort());
    expect(appsProblems()).toEqual([]);
    expect(lines.some((l) => l.msg === 'apps service stopped')).toBe(true);

    // The next start reconciles the stored instances, learns they ended and replaces them.
    await h.startService();
    const after = await waitFor(async () => {
      const ts = await h.tasks(id);
      return ts.length === 3 && ts.every((t) => t.state === 'RUNNING' && !before.some((b) => b.id === t.id)) ? ts : undefined;
    }, { timeoutMs: 15_000, message: 'the ended tasks replaced after the restart' });
    expect(after).toHaveLength(3);
  }, 40_000);
});
