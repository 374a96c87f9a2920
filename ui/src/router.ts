/**
 * Hash routing by hand: `#/tasks/echo.1a2b?state=RUNNING` → { path: ['tasks', 'echo.1a2b'], query }.
 * Ids that contain `/` (app ids such as `/prod/web`) travel as one encoded segment.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  path: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const pathPart = q === -1 ? raw : raw.slice(0, q);
  const path = pathPart.split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch (malformed) {
      if (!(malformed instanceof URIError)) throw malformed;
      return s;
    }
  });
  return { path, query: new URLSearchParams(q === -1 ? '' : raw.slice(q + 1)) };
}

/** `href(['tasks', id], { state: 'RUNNING' })` → `#/tasks/<id>?state=RUNNING` (empty values left out). */
export function href(path: readonly string[], query: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `#/${path.map(encodeURIComponent).join('/')}${s ? `?${s}` : ''}`;
}

// The hash before the current one, for back links that return where the user came from. Installed at load, so it
// runs before any page's own hashchange listener.
let currentHash = typeof location === 'undefined' ? '' : location.hash;
let lastHash: string | undefined;
if (typeof addEventListener === 'function') {
  addEventListener('hashchange', () => {
    lastHash = currentHash;
    currentHash = location.hash;
  });
}

/** The page shown before this one in this tab (undefined after a fresh load or a reload). */
export function previousHash(): string | undefined {
  return lastHash;
}

export function navigate(to: string): void {
  if (location.hash !== to) location.hash = to;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseHash(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
