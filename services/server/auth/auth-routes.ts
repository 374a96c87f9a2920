/** `GET /v1/whoami`: who the caller's token says it is, so a client (the UI) knows which actions to offer. */
import type { FastifyInstance } from 'fastify';
import type { RouteModule } from '../http-server.ts';
import { ROLES } from './roles.ts';
import { ANONYMOUS } from './auth-hook.ts';

export function authRoutes(): RouteModule {
  return (app: FastifyInstance) => {
    app.get('/v1/whoami', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'whoami',
        tags: ['auth'],
        summary: "The caller's name and role",
        description: 'Any valid token may call it. Without configured tokens the answer is `anonymous` with the admin role and `authentication: false`.',
        response: {
          200: {
            type: 'object',
            required: ['name', 'role', 'authentication'],
            additionalProperties: false,
            properties: {
              name: { type: 'string', description: 'The name the token was configured with' },
              role: { type: 'string', enum: [...ROLES] },
              authentication: { type: 'boolean', description: 'Whether the server requires tokens' },
            },
          },
        },
      },
      handler: async (req) => {
        // The hook sets ANONYMOUS exactly when no tokens are configured.
        const id = req.identity ?? ANONYMOUS;
        return { name: id.name, role: id.role, authentication: id !== ANONYMOUS };
      },
    });
  };
}
