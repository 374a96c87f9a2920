/**
 * POSTs JSON and reads a JSON answer, over keep-alive connections (node:http / node:https). One instance per
 * peer. Transport failures (refused, reset, timeout) come back as `{ ok: false }` results, never as throws: the
 * callers retry or give up on their own schedule.
 */
import http from 'node:http';
import https from 'node:https';
import { err, ok, type Result } from '../errors/result.ts';

export interface JsonResponse {
  status: number;
  /** Parsed JSON, or undefined when the body was empty or not JSON. */
  body: unknown;
}

export interface JsonHttpClientOptions {
  /** Base URL of the peer, e.g. `http://127.0.0.1:5050`. */
  baseUrl: string;
  headers: Record<string, string>;
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

export class JsonHttpClient {
  readonly baseUrl: string;
  private readonly agent: http.Agent;
  private readonly request: typeof http.request;
  private readonly timeoutMs: number;

  constructor(private readonly opts: JsonHttpClientOptions) {
    const url = new URL(opts.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported URL scheme in ${opts.baseUrl}`);
    this.baseUrl = url.origin;
    const secure = url.protocol === 'https:';
    this.agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 8 }) : new http.Agent({ keepAlive: true, maxSockets: 8 });
    this.request = secure ? https.request : http.request;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  post(path: string, body: unknown, timeoutMs = this.timeoutMs): Promise<Result<JsonResponse, Error>> {
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    return new Promise((resolve) => {
      let settled = false;
      const done = (r: Result<JsonResponse, Error>): void => {
        if (settled) return;
        settled = true;
        resolve(r);
      };
      const req = this.request(
        `${this.baseUrl}${path}`,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...this.opts.headers, 'content-type': 'application/json', 'content-length': payload.length, accept: 'application/json' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_ANSWER_BYTES) {
              req.destroy(new Error(`answer from ${this.baseUrl}${path} exceeds ${MAX_ANSWER_BYTES} bytes`));
              return;
            }
            chunks.push(c);
          });
          res.on('error', (e) => done(err(e)));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            if (text.length > 0) {
              try {
                parsed = JSON.parse(text);
              } catch {
                // Not JSON (a proxy's error page): the status says enough.
                parsed = undefined;
              }
            }
            done(ok({ status: res.statusCode ?? 0, body: parsed }));
          });
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${this.baseUrl}${path} within ${timeoutMs} ms`)));
      req.on('error', (e) => done(err(e)));
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The `code` of a problem+json answer without its `ORR_ERR_` prefix (`TASK_NOT_FOUND`), if there is one. */
export function problemCode(body: unknown): string | undefined {
  const code = (body as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code.replace(/^ORR_ERR_/, '') : undefined;
}

/** `detail` of a problem+json answer, else a short description of the status. */
export function problemDetail(res: JsonResponse): string {
  const detail = (res.body as { detail?: unknown } | undefined)?.detail;
  return typeof detail === 'string' ? detail : `HTTP ${res.status}`;
}
