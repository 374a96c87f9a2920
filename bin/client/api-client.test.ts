import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CommandError } from '../cli-errors.ts';
import { ApiClient, ApiProblem } from './api-client.ts';

let server: Server;
let base: string;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    if (req.url?.startsWith('/v1/jobs/bad')) {
      res.writeHead(400, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'https://orrery.dev/errors/ORR_ERR_JOB_INVALID', title: 'Invalid job', status: 400, detail: 'the job is not valid', code: 'ORR_ERR_JOB_INVALID', errors: [{ field: 'body.cpus', message: 'must be >= 0' }] }));
      return;
    }
    if (req.url === '/plain') {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway from a proxy');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('ApiClient', () => {
  it('sends the token as a bearer token, and none without one', async () => {
    expect(await new ApiClient(base, 's3cret').get('/v1/leader')).toEqual({ ok: true });
    expect(seen.at(-1)?.authorization).toBe('Bearer s3cret');
    await new ApiClient(`${base}/`, undefined).get('/v1/leader');
    expect(seen.at(-1)?.authorization).toBeUndefined();
  });

  it('turns problem+json into an ApiProblem with title, status, code, detail and fields', async () => {
    const e = await new ApiClient(base, undefined).post('/v1/jobs/bad', {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiProblem);
    expect((e as ApiProblem).message).toBe('Invalid job (HTTP 400, ORR_ERR_JOB_INVALID): the job is not valid\n  body.cpus: must be >= 0');
    expect((e as ApiProblem).code).toBe('ORR_ERR_JOB_INVALID');
  });

  it('shows a non-JSON error body as text, and a refused connection as a CommandError naming the URL', async () => {
    const plain = await new ApiClient(base, undefined).get('/plain').catch((x: unknown) => x);
    expect((plain as ApiProblem).message).toBe('Bad Gateway (HTTP 502): bad gateway from a proxy');
    const down = await new ApiClient('http://127.0.0.1:1', undefined).get('/v1/jobs').catch((x: unknown) => x);
    expect(down).toBeInstanceOf(CommandError);
    expect((down as Error).message).toMatch(/^cannot reach Orrery at http:\/\/127\.0\.0\.1:1 /);
  });
});
