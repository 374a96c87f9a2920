/**
 * The probes behind app health checks, run from the apps service (Marathon's "leader-side" checks) until agents
 * run them: HTTP GET (200–399 passes), TCP connect, and COMMAND as a child process of the service with the task's
 * HOST and PORT* variables (exit 0 passes). A COMMAND check therefore runs on the machine of the apps service,
 * not inside the task's sandbox: right for `orrery up`, where the agent is local, and documented as such.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { spawn } from 'node:child_process';
import type { HealthCheckSpec } from './app-spec.ts';

export interface ProbeTarget {
  /** Address to reach the task at (the agent's hostname unless mapped). */
  host: string;
  ports: number[];
  env: Record<string, string>;
}

export interface ProbeOutcome {
  ok: boolean;
  cause?: string;
}

export type HealthProbe = (check: HealthCheckSpec, target: ProbeTarget) => Promise<ProbeOutcome>;

function httpProbe(host: string, port: number, path: string, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const req = request({ host, port, path, method: 'GET', timeout: timeoutMs, headers: { 'user-agent': 'orrery-health-check' } }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 400 ? { ok: true } : { ok: false, cause: `HTTP ${status}` });
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', (e) => resolve({ ok: false, cause: e.message }));
    req.end();
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (outcome: ProbeOutcome): void => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, cause: `timed out after ${timeoutMs} ms` }));
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (e) => done({ ok: false, cause: e.message }));
  });
}

function commandProbe(command: string, env: Record<string, string>, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: 'ignore', detached: true });
    const timer = setTimeout(() => {
      if (!child.pid) return;
      // The whole group: a shell that started a pipeline must not leave it behind.
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch (e) {
        // ESRCH: it ended meanwhile and 'exit' reports it. Anything else: report the check failed, as it did.
        if ((e as NodeJS.ErrnoException).code !== 'ESRCH') resolve({ ok: false, cause: `timed out after ${timeoutMs} ms; kill failed: ${(e as Error).message}` });
      }
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, cause: e.message });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true });
      else resolve({ ok: false, cause: signal ? `killed by ${signal} (timeout ${timeoutMs} ms)` : `exit code ${code}` });
    });
  });
}

/** The real probe: HTTP, TCP or COMMAND as the check says. */
export const defaultHealthProbe: HealthProbe = (check, target) => {
  const timeoutMs = Math.round(check.timeoutSeconds * 1000);
  if (check.protocol === 'COMMAND') return commandProbe(check.command ?? 'false', target.env, timeoutMs);
  const port = target.ports[check.portIndex ?? 0];
  if (port === undefined) return Promise.resolve({ ok: false, cause: `no host port at index ${check.portIndex ?? 0}` });
  return check.protocol === 'HTTP' ? httpProbe(target.host, port, check.path ?? '/', timeoutMs) : tcpProbe(target.host, port, timeoutMs);
};
