/**
 * The client commands' HTTP client: JSON requests to the Orrery API with the bearer token, and errors turned
 * into `ApiProblem`s carrying the API's problem+json (title, detail, code, offending fields) or a plain
 * CommandError for network failures. One instance per command run.
 */
import { CommandError } from '../cli-errors.ts';

export interface ProblemField {
  field: string;
  message: string;
}

/** An error response of the API, from its `application/problem+json` body where there is one. */
export class ApiProblem extends CommandError {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly title: string,
    readonly detail: string | undefined,
    readonly fields: ProblemField[],
  ) {
    super(formatProblem(status, code, title, detail, fields));
    this.name = 'ApiProblem';
  }
}

function formatProblem(status: number, code: string | undefined, title: string, detail: string | undefined, fields: ProblemField[]): string {
  const head = `${title} (HTTP ${status}${code ? `, ${code}` : ''})${detail && detail !== title ? `: ${detail}` : ''}`;
  // Validation details often repeat the fields already: list only what the detail does not say.
  const extra = fields.filter((f) => !detail?.includes(`${f.field} ${f.message}`) && !detail?.includes(`${f.field}: ${f.message}`));
  return [head, ...extra.map((f) => `  ${f.field}: ${f.message}`)].join('\n');
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Statuses answered without throwing (the caller looks at them). */
  accept?: number[];
}

export class ApiClient {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly token: string | undefined,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  url(path: string, query?: Query): string {
    const u = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  async get<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    return (await this.request('GET', path, opts)).json as T;
  }

  async post<T>(path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    return (await this.request('POST', path, { ...opts, body })).json as T;
  }

  async put<T>(path: string, body: unknown, opts: RequestOptions = {}): Promise<T> {
    return (await this.request('PUT', path, { ...opts, body })).json as T;
  }

  async delete<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    return (await this.request('DELETE', path, opts)).json as T;
  }

  /** Text responses (Graphviz dot). */
  async text(path: string, query?: Query): Promise<string> {
    const res = await this.fetch('GET', path, { query });
    if (!res.ok) throw await problemOf(res);
    return res.text();
  }

  /** An open streaming response (server-sent events); the caller reads `body` until it ends or aborts. */
  async stream(path: string, query: Query, signal: AbortSignal, headers: Record<string, string> = {}): Promise<Response> {
    const res = await this.fetch('GET', path, { query, signal }, { accept: 'text/event-stream', ...headers });
    if (!res.ok) throw await problemOf(res);
    return res;
  }

  async request(method: string, path: string, opts: RequestOptions): Promise<{ status: number; json: unknown; headers: Headers }> {
    const res = await this.fetch(method, path, opts);
    if (!res.ok && !opts.accept?.includes(res.status)) throw await problemOf(res);
    const text = await res.text();
    let json: unknown = undefined;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new CommandError(`${method} ${path}: the server answered HTTP ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`, { cause: e });
      }
    }
    return { status: res.status, json, headers: res.headers };
  }

  private async fetch(method: string, path: string, opts: RequestOptions, extraHeaders: Record<string, string> = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...extraHeaders };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(this.url(path, opts.query), { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), signal: opts.signal });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (e as Error).message;
      throw new CommandError(`cannot reach Orrery at ${this.baseUrl} (${why}); is it running? Set --url or ORRERY_URL`, { cause: e });
    }
  }
}

async function problemOf(res: Response): Promise<CommandError> {
  const text = await res.text().catch(() => '');
  let body: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    body = undefined; // not JSON: shown as text below
  }
  if (!body) return new ApiProblem(res.status, undefined, res.statusText || 'Error', text.slice(0, 300) || undefined, []);
  const fields = Array.isArray(body.errors) ? (body.errors as ProblemField[]).filter((f) => f && typeof f.field === 'string') : [];
  const title = typeof body.title === 'string' ? body.title : typeof body.error === 'string' ? body.error : res.statusText || 'Error';
  const detail = typeof body.detail === 'string' ? body.detail : typeof body.message === 'string' ? body.message : undefined;
  return new ApiProblem(res.status, typeof body.code === 'string' ? body.code : undefined, title, detail, fields);
}
