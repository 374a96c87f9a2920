/**
 * `orrery events`: follows the server-sent event stream (`/v1/events`) until Ctrl+C, reconnecting with
 * Last-Event-ID when the connection drops so no event is skipped. Human lines by default; `-o json` prints one
 * JSON object per line (`{"id","event","data"}`) for `jq` and scripts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CommandError } from '../cli-errors.ts';
import { ApiProblem } from './api-client.ts';
import { str, type Command, type Ctx } from './command.ts';

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** Incremental text/event-stream parser (the WHATWG rules we need: id, event, data, comments). */
export class SseParser {
  private buffer = '';
  private id: string | undefined;
  private event = '';
  private data: string[] = [];

  push(text: string): SseEvent[] {
    this.buffer += text;
    const out: SseEvent[] = [];
    let nl: number;
    while ((nl = this.buffer.search(/\r?\n/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + (this.buffer[nl] === '\r' ? 2 : 1));
      if (line === '') {
        if (this.data.length) out.push({ ...(this.id !== undefined && { id: this.id }), event: this.event || 'message', data: this.data.join('\n') });
        this.event = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') this.data.push(value);
      else if (field === 'event') this.event = value;
      else if (field === 'id') this.id = value;
    }
    return out;
  }

  get lastEventId(): string | undefined {
    return this.id;
  }
}

/** One human line for an event: time, type, and the data's most telling fields. */
export function eventLine(e: SseEvent, now = new Date()): string {
  let summary = e.data;
  try {
    const d = JSON.parse(e.data) as Record<string, unknown>;
    const keys = ['appId', 'job', 'runId', 'taskId', 'name', 'state', 'status', 'kind', 'healthy', 'exitCode', 'reason', 'message', 'agentId', 'hostname'];
    const parts = keys.filter((k) => d[k] !== undefined && d[k] !== null && d[k] !== '').map((k) => `${k}=${typeof d[k] === 'object' ? JSON.stringify(d[k]) : String(d[k])}`);
    if (parts.length) summary = parts.join(' ');
  } catch {
    summary = e.data; // not JSON: shown as sent
  }
  return `${now.toISOString().slice(11, 23)}  ${e.event.padEnd(22)} ${summary}`;
}

async function follow(ctx: Ctx, query: Record<string, string | undefined>): Promise<number> {
  const parser = new SseParser();
  let failures = 0;
  for (;;) {
    const headers: Record<string, string> = parser.lastEventId ? { 'last-event-id': parser.lastEventId } : {};
    try {
      const res = await ctx.api.stream('/v1/events', query, ctx.signal, headers);
      failures = 0;
      if (!parser.lastEventId) ctx.err(`following ${ctx.api.baseUrl}/v1/events (Ctrl+C to stop)\n`);
      const decoder = new TextDecoder();
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        for (const e of parser.push(decoder.decode(chunk, { stream: true }))) {
          if (ctx.json) {
            let data: unknown = e.data;
            try {
              data = JSON.parse(e.data);
            } catch {
              data = e.data; // not JSON: kept as a string
            }
            ctx.out(`${JSON.stringify({ id: e.id, event: e.event, data })}\n`);
          } else ctx.out(`${eventLine(e)}\n`);
        }
      }
    } catch (e) {
      if (ctx.signal.aborted) return 0;
      if (e instanceof ApiProblem && e.status < 500) throw e;
      if (!(e instanceof CommandError) && (e as Error).name !== 'TypeError') throw e;
      if (++failures > 5) throw e instanceof CommandError ? e : new CommandError(`event stream failed: ${(e as Error).message}`, { cause: e });
    }
    if (ctx.signal.aborted) return 0;
    ctx.err(`event stream closed; reconnecting${parser.lastEventId ? ` from ${parser.lastEventId}` : ''}\n`);
    await sleep(Math.min(2000, 250 * 2 ** failures), undefined, { signal: ctx.signal });
  }
}

export const eventsCommand: Command = {
  name: '',
  summary: 'Follow the event stream: task status, jobs and runs, apps and deployments (Ctrl+C stops)',
  options: [
    { name: 'type', type: 'string', arg: 'TYPES', help: 'comma-separated event types; `task.*` matches a prefix' },
    { name: 'app', type: 'string', arg: 'ID', help: 'only events of this app' },
    { name: 'job', type: 'string', arg: 'NAME', help: 'only events of this job' },
  ],
  examples: ['orrery events', "orrery events --type 'run.*' --job extract", 'orrery events -o json | jq .event'],
  run: (ctx, values) => follow(ctx, { type: str(values, 'type'), app: str(values, 'app'), job: str(values, 'job') }),
};
