/**
 * `useResource(path, { topics })` (and `useLive(key, load, { topics })` for several requests at once): GET a
 * path, then keep it current from the live stream. An event whose type
 * starts with one of `topics` (and passes `match`) schedules one refetch `debounceMs` later; more events in that
 * window ride along, so a burst costs one request and a steady stream still refreshes every `debounceMs`.
 * Fetches never overlap: an event during a fetch refetches once it ends. Stale data stays on screen while
 * reloading, and a response to an older path is dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem, get } from '../api/http.ts';
import type { LiveEvent } from './event-stream.ts';
import { live } from './live.ts';

export interface ResourceOptions {
  /** Event type prefixes that may change the resource, e.g. `['task.']`. */
  topics?: readonly string[];
  match?: (e: LiveEvent) => boolean;
  debounceMs?: number;
  /** On a new path, keep showing the old data until the new arrives (paging a list), instead of none. */
  keepWhileLoading?: boolean;
  /** Refetch this often as well, for what has no events (agent heartbeats). */
  pollMs?: number;
}

export interface Resource<T> {
  data: T | undefined;
  error: ApiProblem | undefined;
  loading: boolean;
  reload(): void;
}

function asProblem(e: unknown): ApiProblem {
  return e instanceof ApiProblem ? e : new ApiProblem(0, 'CLIENT', e instanceof Error ? e.message : String(e));
}

/** GET `path` (null: nothing to load yet), kept current from the live stream. */
export function useResource<T>(path: string | null, opts: ResourceOptions = {}): Resource<T> {
  return useLive<T>(path, () => get<T>(path!), opts);
}

/**
 * The general form: `load()` produces the value (several requests, say); `key` names what it loads — a new key
 * starts over, like a new path.
 */
export function useLive<T>(key: string | null, load: () => Promise<T>, opts: ResourceOptions = {}): Resource<T> {
  const loadRef = useRef(load);
  loadRef.current = load;
  const path = key;
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiProblem | undefined>(undefined);
  const [loading, setLoading] = useState(path !== null);
  const optsRef = useRef(opts);
  optsRef.current = opts;
  const state = useRef({ gen: 0, inFlight: false, dirty: false, path, timer: undefined as ReturnType<typeof setTimeout> | undefined });

  const fetchNow = useCallback((): void => {
    const s = state.current;
    const p = s.path;
    if (p === null) return;
    if (s.inFlight) {
      s.dirty = true;
      return;
    }
    const gen = s.gen;
    s.inFlight = true;
    setLoading(true);
    loadRef.current()
      .then(
        (value) => {
          if (s.gen !== gen) return;
          setData(value);
          setError(undefined);
        },
        (e: unknown) => {
          if (s.gen === gen) setError(asProblem(e));
        },
      )
      .finally(() => {
        if (s.gen !== gen) return;
        s.inFlight = false;
        setLoading(false);
        if (s.dirty) {
          s.dirty = false;
          fetchNow();
        }
      });
  }, []);

  useEffect(() => {
    const s = state.current;
    if (s.path !== path) {
      s.path = path;
      s.gen++;
      s.dirty = false;
      s.inFlight = false;
      if (!optsRef.current.keepWhileLoading) setData(undefined);
      setError(undefined);
    }
    if (path === null) return undefined;
    fetchNow();
    const schedule = (): void => {
      if (s.timer !== undefined) return;
      s.timer = setTimeout(() => {
        s.timer = undefined;
        fetchNow();
      }, optsRef.current.debounceMs ?? 250);
    };
    const offEvent = live.onEvent((e) => {
      const o = optsRef.current;
      if (!o.topics?.some((t) => e.type.startsWith(t))) return;
      if (o.match && !o.match(e)) return;
      schedule();
    });
    const offResync = live.onResync(schedule);
    const poll = opts.pollMs ? setInterval(fetchNow, opts.pollMs) : undefined;
    return () => {
      offEvent();
      offResync();
      if (poll) clearInterval(poll);
      if (s.timer !== undefined) clearTimeout(s.timer);
      s.timer = undefined;
    };
  }, [path, fetchNow, opts.pollMs]);

  return { data, error, loading, reload: fetchNow };
}
