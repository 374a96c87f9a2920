import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logging/logger.ts';
import type { ExecutorSpawner, SpawnEvents, SpawnRequest } from './executor-spawner.ts';
import { parseProcStat } from './proc-stat.ts';

/** The helper program; see its header for the line protocol. */
export const LAUNCHER_HELPER = fileURLToPath(new URL('./launcher-helper.js', import.meta.url));

interface Pending {
  events: SpawnEvents;
}

interface Helper {
  child: ChildProcess;
  /** Requests sent and not ended yet. */
  pending: Map<number, Pending>;
  /** Requests waiting for this turn's single write (kept until written: a dead helper's are sent to the next). */
  outbox: Array<{ id: number; request: SpawnRequest }>;
  /** Reply text after the last complete line. */
  inbox: string;
  replies: number;
  referenced: boolean;
  dead: boolean;
}

type Reply =
  | { id: number; pid: number; stat?: string }
  | { id: number; error: string }
  | { id: number; code: number | null; signal: NodeJS.Signals | null };

type Handle = { ref(): void; unref(): void };

/**
 * Forks executors from a small long-lived helper process (`launcher-helper.js`, plain `node`, a few MB) fed over
 * its stdin: forks then cost what they cost from a small process whatever the agent's size, and the agent's event
 * loop never blocks in fork+exec. Requests of one turn go out in one write; replies come back batched per turn.
 *
 * The helper is started by `start` (or the first spawn) and restarted on the next spawn after it died. If it dies,
 * every request it still owed an answer is reported `lost` (the executors themselves, detached, keep running). A
 * helper that cannot be started, or fails by itself before answering anything, is taken as unusable: later requests
 * go to `fallback` (forks from the agent).
 * While requests are outstanding the helper keeps the agent's process alive, as child processes would; otherwise
 * it does not.
 */
export class HelperExecutorSpawner implements ExecutorSpawner {
  readonly kind = 'helper';
  private helper?: Helper;
  private nextId = 1;
  private closed = false;
  private useFallback = false;

  constructor(
    private readonly log: Logger,
    private readonly fallback: ExecutorSpawner,
  ) {}

  start(): void {
    if (!this.closed && !this.useFallback) this.ensure();
  }

  spawn(request: SpawnRequest, events: SpawnEvents): void {
    if (this.closed) return events.failed('the agent is stopping');
    if (this.useFallback) return this.fallback.spawn(request, events);
    const helper = this.ensure();
    const id = this.nextId++;
    helper.pending.set(id, { events });
    if (helper.outbox.length === 0) queueMicrotask(() => this.flush(helper));
    helper.outbox.push({ id, request });
    this.reference(helper);
  }

  /**
   * Stops reporting; the helper exits once its stdin closes, executors keep running. Requests not yet written are
   * failed, not sent (the agent settles its launches before closing, so there are none in practice).
   */
  close(): void {
    this.closed = true;
    this.fallback.close();
    const helper = this.helper;
    this.helper = undefined;
    if (!helper) return;
    helper.dead = true;
    const unsent = helper.outbox.map(({ id }) => helper.pending.get(id)).filter((p): p is Pending => p !== undefined);
    helper.outbox = [];
    helper.pending.clear();
    helper.child.stdin?.end();
    this.reference(helper);
    for (const p of unsent) p.events.failed('the agent stopped before the executor was started');
  }

  private ensure(): Helper {
    if (this.helper) return this.helper;
    // Plain node, no loader flags and an empty env (NODE_OPTIONS could load the TypeScript loader): it stays small.
    const child = spawn(process.execPath, [LAUNCHER_HELPER], { stdio: ['pipe', 'pipe', 'pipe'], env: {} });
    const helper: Helper = { child, pending: new Map(), outbox: [], inbox: '', replies: 0, referenced: true, dead: false };
    this.helper = helper;
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => this.receive(helper, chunk));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => this.log.warn({ output: text.slice(0, 2000) }, 'executor launcher helper wrote to stderr'));
    child.stdin?.on('error', (e) => this.log.debug({ err: e }, 'executor launcher helper stdin closed'));
    child.once('error', (e) => this.died(helper, { err: e }));
    child.once('exit', (code, signal) => this.died(helper, { code, signal }));
    this.reference(helper);
    this.log.debug({ pid: child.pid }, 'executor launcher helper started');
    return helper;
  }

  private flush(helper: Helper): void {
    // Not writable: the helper died; its exit hands the outbox to the next one.
    if (helper.outbox.length === 0 || helper.dead || !helper.child.stdin?.writable) return;
    const text = `${helper.outbox.map(({ id, request }) => JSON.stringify({ id, ...request })).join('\n')}\n`;
    helper.outbox = [];
    helper.child.stdin.write(text);
  }

  private receive(helper: Helper, chunk: string): void {
    helper.inbox += chunk;
    let newline = helper.inbox.indexOf('\n');
    while (newline >= 0) {
      const line = helper.inbox.slice(0, newline);
      helper.inbox = helper.inbox.slice(newline + 1);
      if (line !== '') this.handle(helper, line);
      newline = helper.inbox.indexOf('\n');
    }
    this.reference(helper);
  }

  private handle(helper: Helper, line: string): void {
    let reply: Reply;
    try {
      reply = JSON.parse(line) as Reply;
    } catch (e) {
      this.log.error({ err: e, line: line.slice(0, 200) }, 'executor launcher helper sent an unreadable line');
      return;
    }
    helper.replies++;
    const pending = helper.pending.get(reply.id);
    if (!pending || helper.dead) return;
    if ('error' in reply) {
      helper.pending.delete(reply.id);
      pending.events.failed(reply.error);
    } else if ('pid' in reply) {
      pending.events.started(reply.pid, reply.stat === undefined ? undefined : parseProcStat(reply.stat));
    } else {
      helper.pending.delete(reply.id);
      pending.events.exited(reply.code, reply.signal);
    }
  }

  private died(helper: Helper, how: { err?: unknown; code?: number | null; signal?: NodeJS.Signals | null }): void {
    if (this.helper === helper) this.helper = undefined;
    if (helper.dead) return;
    helper.dead = true;
    // Requests it never saw go to the next helper (or the fallback); the others may have started: lost.
    const unsent = helper.outbox.map(({ id, request }) => ({ request, pending: helper.pending.get(id) }));
    for (const { id } of helper.outbox) helper.pending.delete(id);
    helper.outbox = [];
    const lost = [...helper.pending.values()];
    helper.pending.clear();
    this.reference(helper);
    // Could not be started, or failed by itself before answering anything: another start would fail alike.
    const broken = helper.replies === 0 && (how.err !== undefined || (typeof how.code === 'number' && how.code !== 0));
    if (broken && !this.closed) {
      this.useFallback = true;
      this.log.error({ ...how, lost: lost.length }, 'executor launcher helper unusable; forking executors from the agent instead');
    } else {
      this.log.warn({ ...how, lost: lost.length }, 'executor launcher helper died; its executors are watched instead');
    }
    for (const p of lost) p.events.lost();
    for (const { request, pending } of unsent) if (pending) this.spawn(request, pending.events);
  }

  /** Keeps the agent's process alive exactly while requests are outstanding. */
  private reference(helper: Helper): void {
    const wanted = helper.pending.size > 0 && !helper.dead;
    if (wanted === helper.referenced) return;
    helper.referenced = wanted;
    const { child } = helper;
    for (const handle of [child, child.stdin, child.stdout, child.stderr] as unknown as Array<Handle | null>) {
      if (wanted) handle?.ref();
      else handle?.unref();
    }
  }
}
