/**
 * Finds and reads the config file (`--config FILE`, else `ORRERY_CONFIG`), YAML or JSON (JSON is YAML), and
 * resolves the effective configuration with loadConfig. Any problem is a UsageError naming the file, the key
 * and the source, so a command stops before it starts anything.
 */
import { readFileSync } from 'node:fs';
import { parse, YAMLParseError } from 'yaml';
import { UsageError } from '../cli-errors.ts';
import type { CommandKeys } from './config-keys.ts';
import { formatIssue, loadConfig, type LoadedConfig } from './load-config.ts';

export function readConfigFile(file: string): { path: string; data: unknown } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`config file ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  try {
    return { path: file, data: parse(text) as unknown };
  } catch (e) {
    if (e instanceof YAMLParseError) throw new UsageError(`config file ${file}: not valid YAML or JSON: ${e.message.split('\n')[0]}`);
    throw e;
  }
}

/**
 * The effective values of `keys`. `flags` are the command's parseArgs values (`config` names the file).
 * Throws UsageError listing every problem.
 */
export function resolveConfig(keys: CommandKeys, flags: Readonly<Record<string, string | boolean | undefined>>, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const path = typeof flags.config === 'string' ? flags.config : env.ORRERY_CONFIG || undefined;
  const file = path === undefined ? undefined : readConfigFile(path);
  const r = loadConfig(keys, { file, env, flags });
  if (!r.ok) throw new UsageError(`invalid configuration:\n${r.error.map((i) => `  ${formatIssue(i)}`).join('\n')}`);
  return r.value;
}
