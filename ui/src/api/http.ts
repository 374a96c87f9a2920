/**
 * The UI's one door to the HTTP API. Every failure becomes an ApiProblem: problem+json bodies keep their
 * `code`, `detail` and per-field `errors`; a network failure is status 0 with code `NETWORK`. Requests carry the
 * session's bearer token; a 401 tells the session, which asks for a token (session.ts).
 */
import type { components } from './schema.ts';
import { session } from './session.ts';

type Problem = components['schemas']['Problem'];
/** One offending field of a validation error (`body.cpus`, `query.offset`). */
export type FieldError = NonNullable<Problem['errors']>[number];

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }

  /** 404 and 405 on a route the server does not have: the feature is not deployed on this server. */
  get routeMissing(): boolean {
    return (this.status === 404 || this.status === 405) && this.code === 'ORR_ERR_NOT_FOUND' && this.detail.startsWith('no route for');
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function problemFrom(res: Response): Promise<ApiProblem> {
  const text = await res.text();
  try {
    // Partial: the body may come from a proxy in front of the API rather than from it.
    const p = JSON.parse(text) as Partial<Problem>;
    return new ApiProblem(res.status, p.code ?? `HTTP_${res.status}`, p.detail ?? p.title ?? res.statusText, Array.isArray(p.errors) ? p.errors : []);
  } catch (notJson) {
    // A proxy's HTML error page or a plain-text body: show its start rather than a parse error.
    if (!(notJson instanceof SyntaxError)) throw notJson;
    return new ApiProblem(res.status, `HTTP_${res.status}`, text.slice(0, 200) || res.statusText);
  }
}

export async function request<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  const auth = session.authHeaders();
  try {
    res = await fetch(path, {
      method,
      signal,
      headers: body === undefined ? { accept: 'application/json', ...auth } : { accept: 'application/json', 'content-type': 'application/json', ...auth },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiProblem(0, 'NETWORK', `cannot reach the server (${e instanceof Error ? e.message : String(e)})`);
  }
  if (res.status === 401) session.unauthorized(auth);
  if (!res.ok) throw await problemFrom(res);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const get = <T>(path: string, signal?: AbortSignal): Promise<T> => request<T>('GET', path, undefined, signal);

/** `/v1/tasks?state=RUNNING&limit=50`, leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * A problem's field errors keyed by the top-level body property they are about (`body.cpus` → `cpus`,
 * `body.env["A B"]` → `env`); errors about the whole body, or about fields the form does not show, go under ''.
 */
export function fieldMessages(problem: ApiProblem | undefined, shown: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!problem) return out;
  const add = (key: string, msg: string): void => {
    out[key] = out[key] ? `${out[key]}; ${msg}` : msg;
  };
  for (const e of problem.errors) {
    const m = /^body\.([A-Za-z_$][A-Za-z0-9_$-]*)(.*)$/.exec(e.field);
    if (m && shown.includes(m[1])) add(m[1], m[2] ? `${m[2].replace(/^\./, '')} ${e.message}` : e.message);
    else add('', e.field === 'body' ? e.message : `${e.field} ${e.message}`);
  }
  if (problem.errors.length === 0) add('', problem.detail);
  return out;
}
