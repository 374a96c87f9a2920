import { describe, expect, it } from 'vitest';
import { healthCount } from './apps-commands.ts';
import { progressCounts, progressLine, type DeploymentView } from './deployment-progress.ts';
import { eventLine, SseParser } from './events-command.ts';
import { table } from './format.ts';
import { parentsFirst } from './spec-files.ts';

describe('SseParser', () => {
  it('parses events split across chunks, skips comments, keeps the last id', () => {
    const p = new SseParser();
    expect(p.push('retry: 2000\n\n: keepalive\n\nid: 1-0\nevent: run.fin')).toEqual([]);
    expect(p.push('ished\ndata: {"job":"a"}\n\nid: 2-0\r\nevent: x\r\ndata: a\r\ndata: b\r\n\r\n')).toEqual([
      { id: '1-0', event: 'run.finished', data: '{"job":"a"}' },
      { id: '2-0', event: 'x', data: 'a\nb' },
    ]);
    expect(p.lastEventId).toBe('2-0');
  });

  it('summarises an event on one line', () => {
    expect(eventLine({ event: 'run.finished', data: '{"job":"a","runId":"3","state":"SUCCEEDED","other":1}' }, new Date('2026-01-01T10:00:00.123Z'))).toBe(
      '10:00:00.123  run.finished           job=a runId=3 state=SUCCEEDED',
    );
  });
});

describe('progressLine', () => {
  const d: DeploymentView = { id: 'd', appId: '/w', kind: 'scale', status: 'RUNNING', currentStep: 1, totalSteps: 1, currentAction: 'SCALE', progress: { tasksHealthy: 1, tasksWanted: 4, tasksOld: 0 }, createdAt: '' };
  it('draws a bar on a terminal, plain text otherwise', () => {
    expect(progressLine(d, 2500, true)).toBe('[########----------------------] /w scale: 1/4 healthy, step 1/1 SCALE (2.5s)');
    expect(progressLine(d, 2500, false)).toBe('/w scale: 1/4 healthy, step 1/1 SCALE (2.5s)');
  });

  it('shows a scale-down as the live tasks going to the target, not "3/1 healthy"', () => {
    const down: DeploymentView = { ...d, progress: { tasksHealthy: 3, tasksWanted: 1, tasksOld: 0, tasksLive: 3, healthChecks: 1 } };
    expect(progressLine(down, 1000, true)).toBe('[##########--------------------] /w scale: running 3 → 1, step 1/1 SCALE (1.0s)');
    expect(progressCounts({ ...down, progress: { ...down.progress, tasksHealthy: 1, tasksLive: 2 } })).toBe('running 2 → 1');
    expect(progressCounts({ ...down, progress: { ...down.progress, tasksHealthy: 1, tasksLive: 1 } })).toBe('1/1 healthy');
    // Scaling up, and a rolling upgrade with its surge, count up to the target; without checks: running.
    expect(progressCounts({ ...d, progress: { tasksHealthy: 2, tasksWanted: 3, tasksOld: 1, tasksLive: 4, healthChecks: 0 } })).toBe('2/3 running, 1 old');
    // A server without tasksLive: as before.
    expect(progressCounts({ ...d, progress: { tasksHealthy: 3, tasksWanted: 1, tasksOld: 0 } })).toBe('3/1 healthy');
  });
});

describe('apps health counts', () => {
  it('shows - instead of 0 healthy for an app without health checks', () => {
    const counts = { wanted: 2, staged: 0, running: 2, healthy: 0, unhealthy: 0, waiting: 0 };
    expect(healthCount({ counts: { ...counts, healthChecks: 0 } }, 0)).toBeUndefined();
    expect(healthCount({ counts: { ...counts, healthChecks: 1 } }, 0)).toBe(0);
    // A server without counts.healthChecks: the definition's checks say it.
    expect(healthCount({ counts, healthChecks: [] }, 0)).toBeUndefined();
    expect(table([{ counts: { ...counts, healthChecks: 0 } }], [{ header: 'healthy', value: (a) => healthCount(a, a.counts.healthy), right: true }])).toBe('HEALTHY\n      -\n');
  });
});

describe('parentsFirst', () => {
  it('orders a DAG given children first, leaving unknown parents and cycles to the API', () => {
    const def = (name: string, parents: string[] = []) => ({ source: name, body: { name, parents } });
    const order = parentsFirst([def('load', ['transform']), def('transform', ['extract', 'elsewhere']), def('extract'), def('a', ['b']), def('b', ['a'])]);
    expect(order.map((d) => d.body.name)).toEqual(['extract', 'transform', 'load', 'b', 'a']);
  });
});

describe('table', () => {
  it('aligns columns, right-aligns numbers, shows - for missing values', () => {
    const out = table([{ a: 'x', n: 5 }, { a: 'long', n: undefined }], [{ header: 'name', value: (r) => r.a }, { header: 'n', value: (r) => r.n, right: true }, { header: 'last', value: () => '' }]);
    expect(out).toBe('NAME  N  LAST\nx     5  -\nlong  -  -\n');
    expect(table([], [{ header: 'x', value: () => 1 }], 'Nothing.')).toBe('Nothing.\n');
  });
});
