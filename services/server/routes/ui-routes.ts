/**
 * The web UI (ui/, built by `npm run build` into ui/dist/) at `/`. Hash routing means the one HTML page is
 * `/`; its hashed bundles are `/assets/*`. Nothing else is claimed, so `/v1/…`, `/docs`, `/openapi.json`,
 * `/metrics`, `/ping` and the problem+json 404 for unknown paths are untouched. Hidden from the OpenAPI
 * document: the UI is a client of the API, not part of it.
 *
 *   GET /          → ui/dist/index.html, read per request (a rebuild needs no restart); no-cache
 *                    (no build yet → a short page saying to run `npm run build`)
 *   GET /assets/*  → ui/dist/assets/ (content-hashed names: cached for a year, immutable)
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic, { type FastifyStaticOptions } from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { RouteModule } from '../http-server.ts';
import { publicRoutes } from '../auth/auth-hook.ts';

export const DEFAULT_UI_DIST = path.resolve(import.meta.dirname, '../../../ui/dist');

/** The page's scripts, styles and API calls all come from this origin; nothing may frame it. */
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Orrery: web UI not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>Orrery is running, but its web UI has not been built</h1>
<p>Run <code>npm run build</code> in the Orrery folder (<code>npm install</code> does it too), then reload this page.</p>
<p>The API works without it: <a href="/v1/state">/v1/state</a>, documented at <a href="/docs">/docs</a>.</p>
</body></html>
`;

export interface UiRouteOptions {
  /** The built UI; ui/dist of this checkout by default. */
  distDir?: string;
}

function isMissingFile(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export function uiRoutes(opts: UiRouteOptions = {}): RouteModule {
  const dist = opts.distDir ?? DEFAULT_UI_DIST;
  return async (app: FastifyInstance) => {
    let warned = false;
    // Public: the page and its bundles hold no data; the UI asks for a token when the API answers 401.
    const assets = {
      root: path.join(dist, 'assets'),
      prefix: '/assets/',
      // Registered before a build exists too: files are looked up per request.
      wildcard: true,
      suppressWarning: true,
      decorateReply: false,
      index: false,
      list: false,
      maxAge: '365d',
      immutable: true,
      schemaHide: true,
    } satisfies FastifyStaticOptions;
    await app.register(publicRoutes(async (child) => void (await child.register(fastifyStatic, assets))));

    app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
      let html: string;
      try {
        html = await readFile(path.join(dist, 'index.html'), 'utf8');
      } catch (e) {
        if (!isMissingFile(e)) throw e;
        if (!warned) request.log.warn({ dist }, 'web ui not built; serving the build hint');
        warned = true;
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
      }
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .header('content-security-policy', CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .send(html);
    });
  };
}
