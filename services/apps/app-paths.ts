/**
 * Unencoded app ids in native URLs, pure: `/v1/apps/qa/web/tasks` is read as `/v1/apps/qa%2Fweb/tasks`, as
 * Marathon's `/v2/apps/qa/web/tasks` is. The documented routes take the id encoded in one segment (so every
 * route has a plain OpenAPI path); this rewrite runs before routing and leaves everything else to them.
 *
 * The sub-resource is read from the end of the path, by method, from the routes `routes.ts` declares:
 *   GET     …/tasks  …/versions  …/versions/<version>  …/pending   (else the app itself)
 *   POST    …/scale  …/suspend   …/restart  …/rollback
 *   DELETE  …/tasks/<taskId>                                     (else the app itself)
 *   PUT, PATCH                                                     the app itself
 * An id whose own tail reads as a sub-resource (an app named `/x/pending`, or `/x/tasks/y`) must be sent encoded:
 * encoded ids never reach this code's guesses, and one-segment ids (`/v1/apps/web/tasks`) match the routes as
 * they are.
 */

interface SubResource {
  name: string;
  /** Takes one more segment: a version, a task id. */
  arg?: boolean;
}

const SUB_RESOURCES: Readonly<Record<string, readonly SubResource[]>> = {
  GET: [{ name: 'versions', arg: true }, { name: 'tasks' }, { name: 'versions' }, { name: 'pending' }],
  POST: [{ name: 'scale' }, { name: 'suspend' }, { name: 'restart' }, { name: 'rollback' }],
  DELETE: [{ name: 'tasks', arg: true }],
  PUT: [],
  PATCH: [],
};

/** Methods whose route is the app itself when no sub-resource matches. */
const ON_APP = new Set(['GET', 'PUT', 'PATCH', 'DELETE']);

const PREFIX = '/v1/apps/';

/**
 * The URL with the app id encoded into one segment, or undefined when there is nothing to rewrite (not under
 * `/v1/apps/`, an id of one segment, already encoded, or no route for the method).
 */
export function encodeAppIdInUrl(method: string, url: string): string | undefined {
  if (!url.startsWith(PREFIX)) return undefined;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q);
  const segments = path.slice(PREFIX.length).split('/');
  // The id's leading slash may be sent: /v1/apps//qa/web.
  if (segments[0] === '') segments.shift();
  if (segments.length < 2 || segments.some((s) => s === '')) return undefined;
  const m = method === 'HEAD' ? 'GET' : method;
  for (const sub of SUB_RESOURCES[m] ?? []) {
    const tail = sub.arg ? 2 : 1;
    if (segments.length <= tail || segments[segments.length - tail] !== sub.name) continue;
    const id = segments.slice(0, segments.length - tail);
    // A one-segment id matches the route as it is.
    if (id.length < 2) return undefined;
    return `${PREFIX}${id.join('%2F')}/${segments.slice(segments.length - tail).join('/')}${query}`;
  }
  return ON_APP.has(m) ? `${PREFIX}${segments.join('%2F')}${query}` : undefined;
}
