/**
 * The command line of a server command (`up`, `master`, `agent`) read through the config table: its flags are the
 * flags of the keys it reads (a KeyUse may rename one: `orrery agent --host` sets `agentHost`), plus `--config FILE`
 * and `-h`. A secret given as a flag is refused before anything is parsed; the secrets it read from the
 * environment are removed from this process's environment, so tasks and anything else it starts never inherit them.
 *
 *   argv ─► refuseSecretFlags ─► parseArgs (flags of its keys) ─► resolveConfig (file < env < flags) ─► LoadedConfig
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
import { UsageError } from '../cli-errors.ts';
import { keyAsUsed, type CommandKeys } from './config-keys.ts';
import { resolveConfig } from './config-file.ts';
import type { LoadedConfig } from './load-config.ts';

export type Flags = Record<string, string | boolean | undefined>;

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** parseArgs options for the flags of `keys` (strings; booleans as switches). */
export function flagOptions(keys: CommandKeys): ParseArgsOptionsConfig {
  const options: ParseArgsOptionsConfig = {};
  for (const use of keys) {
    const def = keyAsUsed(use);
    if (def.flag !== undefined) options[def.flag] = { type: def.type === 'boolean' ? 'boolean' : 'string' };
  }
  return options;
}

/**
 * A secret key without a flag (`clusterSecret`, `tokens`, `frameworkCredentials`) given on the command line as
 * `--cluster-secret …`: a UsageError saying where to put it instead (its variable, or its `…File` key's flag).
 */
export function refuseSecretFlags(keys: CommandKeys, args: readonly string[]): void {
  for (const use of keys) {
    const def = keyAsUsed(use);
    if (!def.secret || def.flag !== undefined) continue;
    const flag = `--${kebab(def.key)}`;
    if (!args.some((a) => a === flag || a.startsWith(`${flag}=`))) continue;
    const fileUse = keys.find((u) => keyAsUsed(u).key === `${def.key}File`);
    const fileKey = fileUse === undefined ? undefined : keyAsUsed(fileUse);
    const instead = [def.env && `set ${def.env}`, fileKey?.flag && `use --${fileKey.flag} FILE`].filter(Boolean).join(' or ');
    throw new UsageError(`secrets are not taken from the command line (every user sees it in ps); ${instead} (config keys ${def.key}${fileKey ? `, ${fileKey.key}` : ''})`);
  }
}

/** The parsed flags of a command reading `keys`, with `--config` and `--help`; a UsageError (with `help`) if they are wrong. */
export function parseCommandFlags(keys: CommandKeys, args: string[], help: string, extra: ParseArgsOptionsConfig = {}): Flags {
  refuseSecretFlags(keys, args);
  try {
    return parseArgs({ args, options: { ...flagOptions(keys), ...extra, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }).values as Flags;
  } catch (e) {
    throw new UsageError((e as Error).message, help);
  }
}

/**
 * The effective configuration of a server command, or 'help' for `-h`. Throws UsageError (exit 2) naming every
 * bad key and where it came from. Removes the secret variables it read (secret keys without a flag) from `env`.
 */
export function loadCommandConfig(keys: CommandKeys, args: string[], help: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig | 'help' {
  const flags = parseCommandFlags(keys, args, help);
  if (flags.help) return 'help';
  const cfg = resolveConfig(keys, flags, env);
  // Read once, then gone: tasks and anything else this process starts must not inherit them.
  for (const use of keys) {
    const def = keyAsUsed(use);
    if (def.secret && def.flag === undefined && def.env !== undefined) delete env[def.env];
  }
  return cfg;
}
