/**
 * How the user can run this very `orrery` from their terminal, for the hints the servers print ("Try: … agents ls"):
 *
 *   `orrery`          this install is on the PATH (npm link, npm install -g)
 *   `npx orrery`      else, from inside the package (npx runs a project's own bin; `npm start` is run from there)
 *   `node <path>`     else: the entry script itself
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';

export interface CliHintContext {
  /** PATH. */
  pathEnv: string | undefined;
  /** Where the user's shell is: INIT_CWD under `npm start`, else the process's cwd. */
  cwd: string;
  /** This install's `bin/orrery.js`. */
  binPath: string;
  /** The file a path resolves to (symlinks followed), or undefined when there is none. */
  resolve(p: string): string | undefined;
}

export function cliCommand(ctx: CliHintContext): string {
  const self = ctx.resolve(ctx.binPath) ?? ctx.binPath;
  for (const dir of (ctx.pathEnv ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    if (ctx.resolve(path.join(dir, 'orrery')) === self) return 'orrery';
  }
  const root = path.dirname(path.dirname(ctx.binPath));
  const rel = path.relative(root, ctx.cwd);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return 'npx orrery';
  return `node ${ctx.binPath}`;
}

/** `cliCommand` for this process. */
export function thisCliCommand(env: NodeJS.ProcessEnv = process.env): string {
  return cliCommand({
    pathEnv: env.PATH,
    cwd: env.INIT_CWD ?? process.cwd(),
    binPath: path.join(import.meta.dirname, 'orrery.js'),
    resolve: (p) => {
      try {
        return statSync(p).isFile() ? realpathSync(p) : undefined;
      } catch {
        return undefined;
      }
    },
  });
}
