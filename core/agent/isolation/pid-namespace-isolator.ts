import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { err, ok, type Result } from '../../errors/result.ts';
import type { Isolator, IsolatorLaunch } from '../isolator.ts';

/**
 * A PID namespace per task (Mesos' namespaces/pid): the command runs under `unshare --pid --fork --mount-proc`, as
 * pid 1 of a namespace with its own /proc, so it sees only its own processes. `--kill-child` takes the namespace
 * down with unshare. Needs root (CAP_SYS_ADMIN) and util-linux `unshare`.
 *
 * The command is its namespace's init: the kill's SIGTERM still goes to the whole process group (unshare, the init,
 * its children; measured here: `sleep 600` and a shell trapping TERM end at once as without the namespace), and an init
 * that ignores TERM meets the SIGKILL after the grace period like any task. unshare may report a child killed by a
 * signal as a plain exit 1 (see shared/reference/feasibility.md), so limits are read from the isolators (the cgroup's
 * OOM counter), never from the exit status.
 */
export class PidNamespaceIsolator implements Isolator {
  readonly name = 'namespaces/pid';

  private constructor(private readonly unshare: string) {}

  static open(env: NodeJS.ProcessEnv = process.env): Result<PidNamespaceIsolator, string> {
    if (typeof process.getuid === 'function' && process.getuid() !== 0) return err('a PID namespace needs root');
    const unshare = findExecutable('unshare', env.PATH ?? '/usr/bin:/bin');
    if (!unshare) return err('a PID namespace needs util-linux unshare on the PATH');
    return ok(new PidNamespaceIsolator(unshare));
  }

  async prepare(): Promise<IsolatorLaunch> {
    return { wrapperArgs: [this.unshare, '--pid', '--fork', '--mount-proc', '--kill-child'], env: {} };
  }

  async cleanup(): Promise<void> {}
}

function findExecutable(name: string, path: string): string | undefined {
  for (const dir of [...path.split(delimiter), '/usr/bin', '/bin']) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return undefined;
}
