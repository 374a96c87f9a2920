/**
 * API roles and what each route declares it needs. Roles are ordered: a role may do everything the roles below it
 * may, so a route names the least role that may call it.
 *
 *   viewer   ⊂  operator                        ⊂  admin
 *   reads       jobs, apps, tasks: create,         cluster administration
 *               change, run, kill, scale           (framework teardown, …)
 *
 * A route declares its access once, in its options: `config: { access: 'viewer' }`. `public` routes need no token
 * (liveness, metrics, the API document, the UI's static files) — or authenticate their callers by other means.
 */

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ACCESS_LEVELS = ['public', ...ROLES] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; see services/server/auth/roles.ts. Undeclared routes are treated as `admin`. */
    access?: Access;
  }
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isAccess(value: unknown): value is Access {
  return typeof value === 'string' && (ACCESS_LEVELS as readonly string[]).includes(value);
}

/** Whether `role` may call a route that needs `needed`. */
export function allows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Who made a request: the token's name and role. */
export interface Identity {
  readonly name: string;
  readonly role: Role;
}
