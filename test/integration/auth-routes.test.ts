/**
 * Every route of the production server declares who may call it, and the one hook enforces it: the whole route
 * table (every area's modules, the system routes, Swagger UI, the UI's files) is built as `orrery up` builds it,
 * with spec-only deps (a handler that gets past the hook fails on them, which is fine: only the hook is under test).
 * A route added without `config: { access }` fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { silentLogger } from '../../core/logging/logger.ts';
import { buildHttpServer } from '../../services/server/http-server.ts';
import { MetricsRegistry } from '../../services/server/metrics.ts';
import { allRouteModules } from '../../services/server/routes.ts';
import { specOnlyDeps } from '../../services/server/spec-document.ts';
import { TokenTable } from '../../services/server/auth/tokens.ts';
import { ROLES, allows, type Role } from '../../services/server/auth/roles.ts';
import type { RouteAccess } from '../../services/server/auth/auth-hook.ts';

const TOKENS: Record<Role, string> = { viewer: 'viewer-token-0123456789', operator: 'operator-token-0123456789', admin: 'admin-token-0123456789abc' };

let app: FastifyInstance;
let table: RouteAccess[];

beforeAll(async () => {
  const tokens = TokenTable.from(ROLES.map((role) => ({ name: `${role}-1`, role, token: TOKENS[role] })));
  if (!tokens.ok) throw new Error(tokens.error);
  app = await buildHttpServer({ logger: silentLogger(), routes: allRouteModules(specOnlyDeps()), metrics: new MetricsRegistry({ defaultMetrics: false }), tokens: tokens.value });
  await app.ready();
  table = app.routeAccess().flatMap((r) => r.method.split(',').map((method) => ({ ...r, method })));
});
afterAll(async () => {
  await app.close();
});

/** A concrete URL for a route pattern. */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z]+/g, 'x1').replace(/\*$/, 'x1');
}

const READS = new Set(['GET', 'HEAD']);
const SELF_AUTHENTICATED = new Set(['/api/v1/scheduler', '/api/v1/scheduler/batch', '/api/v1/agent/register', '/api/v1/agent/heartbeat', '/api/v1/agent/updates']);
const PUBLIC = ['/ping', '/metrics', '/openapi.json', '/', '/assets/*', '/api/v1/scheduler', '/api/v1/scheduler/batch', '/api/v1/agent/register', '/api/v1/agent/heartbeat', '/api/v1/agent/updates'];

describe('route access declarations', () => {
  it('every registered route declares its access', () => {
    expect(table.length).toBeGreaterThan(100);
    expect(table.filter((r) => !r.declared).map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it('reads need at most viewer; no write is open to viewers or to everyone', () => {
    const badReads = table.filter((r) => READS.has(r.method) && r.access !== 'viewer' && r.access !== 'public');
    // The framework API and the agent protocol authenticate with their own credentials (principal and secret; the
    // cluster secret), not tokens.
    const badWrites = table.filter((r) => !READS.has(r.method) && (r.access === 'viewer' || r.access === 'public') && !SELF_AUTHENTICATED.has(r.url));
    expect(badReads.map((r) => `${r.method} ${r.url} ${r.access}`)).toEqual([]);
    expect(badWrites.map((r) => `${r.method} ${r.url} ${r.access}`)).toEqual([]);
  });

  it('only liveness, metrics, the API document, Swagger UI and the UI files are public', () => {
    const open = new Set(table.filter((r) => r.access === 'public').map((r) => r.url));
    for (const url of open) expect(PUBLIC.includes(url) || url === '/docs' || url.startsWith('/docs/'), url).toBe(true);
    for (const url of PUBLIC) expect(open.has(url), url).toBe(true);
    // The compatibility routes and both event streams are covered like the rest.
    for (const url of ['/scheduler/jobs', '/v1/scheduler/iso8601', '/v2/apps', '/v2/apps/*', '/v1/events', '/v2/events']) {
      expect(table.find((r) => r.url === url)?.access, url).not.toBe('public');
    }
  });

  it('framework teardown is the admin route', () => {
    expect(table.find((r) => r.method === 'DELETE' && r.url === '/v1/frameworks/:id')?.access).toBe('admin');
  });
});

describe('the hook, on every route', () => {
  it('answers 401 problem+json with a Bearer challenge to a request without a token or with an unknown one', async () => {
    for (const r of table.filter((x) => x.access !== 'public')) {
      for (const authorization of [undefined, 'Bearer not-a-configured-token-123', `Basic ${Buffer.from('a:b').toString('base64')}`]) {
        const res = await app.inject({ method: r.method as 'GET', url: concrete(r.url), headers: authorization ? { authorization } : {} });
        expect(res.statusCode, `${r.method} ${r.url} (${authorization ?? 'no token'})`).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="orrery"/);
        if (r.method !== 'HEAD') {
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(res.json()).toMatchObject({ status: 401, code: 'ORR_ERR_UNAUTHORIZED' });
        }
      }
    }
  });

  it('answers 403 naming the role needed to a role below it, and lets an equal or higher role through', async () => {
    for (const r of table.filter((x) => x.access !== 'public')) {
      const needed = r.access as Role;
      for (const role of ROLES) {
        const res = await app.inject({ method: r.method as 'GET', url: concrete(r.url), headers: { authorization: `Bearer ${TOKENS[role]}` } });
        const what = `${r.method} ${r.url} as ${role}`;
        if (allows(role, needed)) {
          expect([401, 403], what).not.toContain(res.statusCode);
        } else {
          expect(res.statusCode, what).toBe(403);
          if (r.method !== 'HEAD') expect(res.json(), what).toMatchObject({ code: 'ORR_ERR_FORBIDDEN', detail: expect.stringContaining(`needs the ${needed} role`) });
        }
      }
    }
  });

  it('serves the public routes without a token', async () => {
    expect((await app.inject({ url: '/ping' })).body).toBe('pong');
    expect((await app.inject({ url: '/openapi.json' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/docs/' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/' })).statusCode).toBe(200);
  });

  it('documents the bearer scheme and each operation\'s role in the OpenAPI document', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/v1/apps/{id}/scale'].post).toMatchObject({ security: [{ bearerAuth: [] }], 'x-required-role': 'operator' });
    expect(doc.paths['/v1/jobs'].get['x-required-role']).toBe('viewer');
    expect(doc.paths['/ping'].get.security).toEqual([]);
  });

  it('unknown paths are a 404 whatever the token', async () => {
    const res = await app.inject({ url: '/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
  });
});
