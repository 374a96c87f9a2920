import { fileURLToPath } from 'node:url';
import { err, ok, type Result } from '../errors/result.ts';
import type { CommandInfo } from '../sdk/protocol.ts';
import type { SpawnRequest } from './executor-spawner.ts';
import type { IsolatorLaunch } from './isolator.ts';

/** The POSIX sh executor shim; see its header for the contract. */
export const EXECUTOR_SHIM = fileURLToPath(new URL('./executor.sh', import.meta.url));

/** Env vars never passed from the agent to tasks: cluster secrets, API tokens and the coordination store's settings. */
const SECRET_PREFIXES = ['ORRERY_SECRET', 'ORRERY_TOKENS', 'ORRERY_CLUSTER_SECRET', 'ORRERY_FRAMEWORK_CREDENTIALS', 'REDIS_'];

/** The part of the agent's environment tasks inherit (PATH, HOME, LANG…), without secrets. */
export function inheritableEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || SECRET_PREFIXES.some((p) => name.startsWith(p))) continue;
    out[name] = value;
  }
  return out;
}

export interface TaskEnvContext {
  frameworkId: string;
  taskId: string;
  sandbox: string;
}

/** Inherited env, then the task's own, then isolators', then the sandbox variables (which always win). */
export function taskEnv(
  inherited: Record<string, string>,
  command: CommandInfo,
  isolation: IsolatorLaunch,
  ctx: TaskEnvContext,
): Record<string, string> {
  return {
    ...inherited,
    ...command.env,
    ...isolation.env,
    MESOS_SANDBOX: ctx.sandbox,
    ORRERY_SANDBOX: ctx.sandbox,
    ORRERY_TASK_ID: ctx.taskId,
    ORRERY_FRAMEWORK_ID: ctx.frameworkId,
  };
}

/** The argv the shim runs: `/bin/sh -c value` for shell commands, else the argument list (first is the program). */
export function commandArgv(command: CommandInfo): Result<string[], string> {
  if (command.shell) {
    if (typeof command.value !== 'string' || command.value.trim() === '') return err('shell command needs a non-empty value');
    return ok(['/bin/sh', '-c', command.value]);
  }
  const args = command.arguments;
  if (!Array.isArray(args) || args.length === 0 || args.some((a) => typeof a !== 'string') || args[0] === '') {
    return err('argv command needs a non-empty list of strings');
  }
  return ok([...args]);
}

/**
 * The shim's launch: `/bin/sh executor.sh ARGV…` in the sandbox. Spawners start it detached: it leads a new
 * session and process group (pgid = its pid), survives the agent, and holds no pipe to it.
 */
export function executorRequest(argv: string[], sandbox: string, env: Record<string, string>): SpawnRequest {
  return { file: '/bin/sh', args: [EXECUTOR_SHIM, ...argv], cwd: sandbox, env };
}
