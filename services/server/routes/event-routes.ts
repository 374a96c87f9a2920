/**
 * `GET /v1/events`: the cluster's event stream as server-sent events. Every event carries its Redis stream id as
 * the SSE `id`, so a client that reconnects with `Last-Event-ID` gets everything it missed, in order, for as long
 * as the capped stream still holds it (older than that: a `gap` event says so before the rest).
 *
 * Each client pulls from the stream at its own pace: nothing is buffered per client beyond one batch, so a slow
 * client is never silently skipped — if it stops reading for `SLOW_CLIENT_MS` it is disconnected, and its
 * `retry:` hint and `Last-Event-ID` bring it back to where it was.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { RouteModule } from '../http-server.ts';
import type { EventSource } from '../event-bus.ts';

export interface EventDeps {
  events(): EventSource;
}

const STREAM_ID = '^\\d+-\\d+$';
const BLOCK_MS = 15_000;
const SLOW_CLIENT_MS = 30_000;
const BATCH = 200;

/** Orders Redis stream ids (`<ms>-<seq>`). */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}

interface Filter {
  types: string[];
  app?: string;
  job?: string;
}

function matches(f: Filter, type: string, data: unknown): boolean {
  if (f.types.length && !f.types.some((t) => (t.endsWith('*') ? type.startsWith(t.slice(0, -1)) : type === t))) return false;
  const d = (data ?? {}) as Record<string, unknown>;
  if (f.app !== undefined && d.appId !== f.app) return false;
  if (f.job !== undefined && d.job !== f.job) return false;
  return true;
}

function frame(id: string, type: string, data: unknown): string {
  return `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

function waitForDrain(raw: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), ms);
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      raw.off('drain', onDrain);
      raw.off('close', onClose);
      resolve(ok);
    };
    const onDrain = (): void => done(true);
    const onClose = (): void => done(false);
    raw.on('drain', onDrain);
    raw.on('close', onClose);
  });
}

/** SSE responses open on a server, ended when it closes (so `close()` does not wait for endless streams). */
export function trackOpenStreams(app: FastifyInstance): Set<ServerResponse> {
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const raw of open) raw.end();
  });
  return open;
}

export interface StreamOptions {
  /** Last-Event-ID of a reconnecting client; absent: only new events. */
  resumeFrom?: string;
  /** What to send for a stream event (`undefined`: skip it); lets one stream serve several dialects (native, Marathon). */
  map(type: string, data: unknown): { event: string; data: unknown } | undefined;
  /** Sent first, once (Marathon's `event_stream_attached`). */
  greeting?: { event: string; data: unknown };
}

/** Serves the event stream to one client until it or the server goes away; see the file comment for the rules. */
export async function streamEvents(req: FastifyRequest, reply: FastifyReply, source: EventSource, open: Set<ServerResponse>, opts: StreamOptions): Promise<void> {
  const resumeFrom = opts.resumeFrom;
  let after = resumeFrom ?? (await source.latestId());
  const raw = reply.raw;
  reply.hijack();
  raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  raw.write('retry: 2000\n\n');
  open.add(raw);
  let closed = false;
  raw.on('close', () => {
    closed = true;
    open.delete(raw);
  });
  if (opts.greeting) raw.write(`event: ${opts.greeting.event}\ndata: ${JSON.stringify(opts.greeting.data)}\n\n`);
  if (resumeFrom) {
    const oldest = await source.oldestId();
    if (oldest !== '0-0' && compareStreamIds(resumeFrom, oldest) < 0) {
      raw.write(frame(resumeFrom, 'gap', { lastEventId: resumeFrom, oldestKept: oldest }));
    }
  }
  try {
    while (!closed) {
      const events = await source.read(after, { count: BATCH, blockMs: BLOCK_MS });
      if (closed) break;
      if (events.length === 0) {
        raw.write(': keepalive\n\n');
        continue;
      }
      for (const e of events) {
        after = e.id;
        const out = opts.map(e.type, e.data);
        if (!out) continue;
        if (!raw.write(frame(e.id, out.event, out.data)) && !(await waitForDrain(raw, SLOW_CLIENT_MS))) {
          req.log.warn({ lastEventId: after }, 'slow event stream client disconnected');
          raw.end();
          return;
        }
      }
    }
  } catch (e) {
    req.log.warn({ err: e }, 'event stream ended by an error');
    raw.end();
  }
}

export function eventRoutes(deps: EventDeps): RouteModule {
  return (app: FastifyInstance) => {
    const open = trackOpenStreams(app);

    app.get<{ Querystring: { type?: string; app?: string; job?: string; lastEventId?: string }; Headers: { 'last-event-id'?: string } }>('/v1/events', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'streamEvents',
        tags: ['events'],
        summary: 'Server-sent events: task status, jobs and runs, apps and deployments; resumable with Last-Event-ID',
        description:
          'Each event has `id` (monotonic), `event` (its type, e.g. `task.status`, `run.finished`, `deployment.step`) and JSON `data`. ' +
          'Without Last-Event-ID only new events are sent. A `gap` event means events between Last-Event-ID and the oldest kept were trimmed.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            type: { type: 'string', maxLength: 1000, description: 'Comma-separated event types; `task.*` matches a prefix' },
            app: { type: 'string', maxLength: 500, description: 'Only events of this app id' },
            job: { type: 'string', maxLength: 500, description: 'Only events of this job' },
            lastEventId: { type: 'string', pattern: STREAM_ID, description: 'Same as the Last-Event-ID header, for clients that cannot set headers' },
          },
        },
        headers: { type: 'object', properties: { 'last-event-id': { type: 'string', pattern: STREAM_ID } } },
        response: { 200: { description: 'An endless text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
      },
      handler: async (req, reply) => {
        const filter: Filter = { types: (req.query.type ?? '').split(',').map((t) => t.trim()).filter(Boolean), app: req.query.app, job: req.query.job };
        await streamEvents(req, reply, deps.events(), open, {
          resumeFrom: req.headers['last-event-id'] ?? req.query.lastEventId,
          map: (type, data) => (matches(filter, type, data) ? { event: type, data } : undefined),
        });
      },
    });
  };
}
