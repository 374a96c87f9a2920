import { err, ok, type Result } from '../../errors/result.ts';

/**
 * The agent's `isolation` option: `auto` (default), `cgroups` or `posix`, optionally with `pid`, comma-separated
 * (`cgroups,pid`). `auto` picks the strongest the host allows: cgroups (v1 as mounted on these hosts, v2 where its
 * hierarchy has the controllers), else posix. `pid` adds a PID namespace per task and is never chosen by `auto`.
 */
export const IsolationMode = { AUTO: 'auto', CGROUPS: 'cgroups', POSIX: 'posix' } as const;
export type IsolationMode = (typeof IsolationMode)[keyof typeof IsolationMode];

export interface IsolationChoice {
  mode: IsolationMode;
  pid: boolean;
}

const MODES = new Set<string>(Object.values(IsolationMode));

/** Parses `auto`, `cgroups`, `posix`, `pid`, `cgroups,pid`… Pure. */
export function parseIsolation(text: string): Result<IsolationChoice, { message: string }> {
  if (typeof text !== 'string' || text.trim() === '') return err({ message: 'isolation must name auto, cgroups or posix, optionally with pid (e.g. cgroups,pid)' });
  let mode: IsolationMode | undefined;
  let pid = false;
  for (const raw of text.split(',')) {
    const word = raw.trim();
    if (word === 'pid') {
      pid = true;
      continue;
    }
    if (!MODES.has(word)) return err({ message: `unknown isolation '${word}': use auto, cgroups or posix, optionally with pid` });
    if (mode !== undefined && mode !== word) return err({ message: `isolation names both ${mode} and ${word}: choose one` });
    mode = word as IsolationMode;
  }
  return ok({ mode: mode ?? IsolationMode.AUTO, pid });
}
