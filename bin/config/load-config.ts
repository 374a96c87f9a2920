/**
 * Effective configuration from three sources, later ones winning: a config file < environment variables <
 * flags (then the key's default). Pure: the caller reads the file (see config-file.ts) and hands over the parsed
 * data, the environment and the parsed flags. Every value present in any source is validated, so a wrong value
 * is reported even where a later source overrides it; unknown keys in the file are errors, with a suggestion.
 */
import { redactUrl } from '../../core/coordination/redis-url.ts';
import { err, ok, type Result } from '../../core/errors/result.ts';
import { CONFIG_KEYS, keyAsUsed, type CommandKeys, type ConfigKey, type ConfigValue } from './config-keys.ts';

export type Origin = 'default' | 'file' | 'env' | 'flag';

export interface ConfigSources {
  /** A parsed config file (any YAML/JSON value; must be a mapping). */
  file?: { path: string; data: unknown };
  env: Readonly<Record<string, string | undefined>>;
  /** parseArgs values by flag name (`work-dir`, `keep-tasks`). */
  flags: Readonly<Record<string, string | boolean | undefined>>;
}

export interface LoadedConfig {
  values: Record<string, ConfigValue | undefined>;
  origins: Record<string, Origin>;
  file?: string;
}

export interface ConfigIssue {
  key: string;
  /** `config file x.yaml`, `environment ORRERY_PORT`, `flag --port`; empty for a value that is not set at all. */
  where: string;
  message: string;
}

export function formatIssue(i: ConfigIssue): string {
  return i.where ? `${i.key} (${i.where}): ${i.message}` : `${i.key}: ${i.message}`;
}

/** Where the value of `key` in `cfg`, loaded for `keys`, came from, as issues name it (empty when it is the default). */
export function whereFrom(cfg: LoadedConfig, keys: CommandKeys, key: string): string {
  const def = keyAsUsed(keys.find((u) => (typeof u === 'string' ? u : u.key) === key) ?? key);
  switch (cfg.origins[def.key]) {
    case 'file':
      return `config file ${cfg.file ?? '?'}`;
    case 'env':
      return `environment ${def.env ?? '?'}`;
    case 'flag':
      return `flag --${def.flag ?? '?'}`;
    default:
      return '';
  }
}

/**
 * Resolves `keys` (names from CONFIG_KEYS, or KeyUses where a command reads a key under another flag or with
 * another default); checks the whole file against the whole table.
 */
export function loadConfig(keys: CommandKeys, sources: ConfigSources): Result<LoadedConfig, ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const fromFile = new Map<string, ConfigValue>();
  if (sources.file) {
    const where = `config file ${sources.file.path}`;
    const data = sources.file.data ?? {};
    if (typeof data !== 'object' || Array.isArray(data)) {
      issues.push({ key: '(file)', where, message: 'must be a mapping of keys to values, e.g. "port: 5050"' });
    } else {
      for (const [name, raw] of Object.entries(data as Record<string, unknown>)) {
        const def = CONFIG_KEYS.find((k) => k.key === name);
        if (!def) {
          const hint = suggest(name);
          issues.push({ key: name, where, message: `unknown key${hint ? ` (did you mean '${hint}'?)` : ''}; known keys: ${CONFIG_KEYS.map((k) => k.key).join(', ')}` });
          continue;
        }
        const v = fromTyped(def, raw);
        if (!v.ok) issues.push({ key: name, where, message: v.error });
        else if (v.value !== undefined) fromFile.set(name, v.value);
      }
    }
  }
  const values: Record<string, ConfigValue | undefined> = {};
  const origins: Record<string, Origin> = {};
  for (const use of keys) {
    const def = keyAsUsed(use);
    const name = def.key;
    let value: ConfigValue | undefined = def.default;
    let origin: Origin = 'default';
    if (fromFile.has(name)) {
      value = fromFile.get(name);
      origin = 'file';
    }
    const envText = def.env === undefined ? undefined : sources.env[def.env];
    if (envText !== undefined && envText !== '') {
      const v = fromText(def, envText);
      if (!v.ok) issues.push({ key: name, where: `environment ${def.env}`, message: v.error });
      else {
        value = v.value;
        origin = 'env';
      }
    }
    const flag = def.flag === undefined ? undefined : sources.flags[def.flag];
    if (flag !== undefined) {
      const v = typeof flag === 'boolean' ? fromTyped(def, flag) : fromText(def, flag);
      if (!v.ok) issues.push({ key: name, where: `flag --${def.flag}`, message: v.error });
      else if (v.value !== undefined) {
        value = v.value;
        origin = 'flag';
      }
    }
    values[name] = value;
    origins[name] = origin;
  }
  if (issues.length) return err(issues);
  return ok({ values, origins, ...(sources.file && { file: sources.file.path }) });
}

/** A value from a file (already typed by YAML/JSON). */
function fromTyped(def: ConfigKey, raw: unknown): Result<ConfigValue | undefined, string> {
  if (raw === null || raw === undefined) return ok(undefined);
  switch (def.type) {
    case 'boolean':
      return typeof raw === 'boolean' ? ok(raw) : err(`must be true or false, got ${JSON.stringify(raw)}`);
    case 'integer':
      return typeof raw === 'number' ? checkInteger(def, raw, JSON.stringify(raw)) : err(`${integerRule(def)}, got ${JSON.stringify(raw)}`);
    case 'string':
      return typeof raw === 'string' ? checkString(def, raw) : err(`must be a string, got ${JSON.stringify(raw)}`);
  }
}

/** A value from an environment variable or a flag. */
function fromText(def: ConfigKey, text: string): Result<ConfigValue, string> {
  switch (def.type) {
    case 'boolean': {
      const t = text.toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(t)) return ok(true);
      if (['false', '0', 'no', 'off'].includes(t)) return ok(false);
      return err(`must be true or false, got '${text}'`);
    }
    case 'integer':
      return /^-?\d+$/.test(text.trim()) ? checkInteger(def, Number(text), `'${text}'`) : err(`${integerRule(def)}, got '${text}'`);
    case 'string':
      return checkString(def, text);
  }
}

function integerRule(def: ConfigKey): string {
  return `must be an integer${def.min !== undefined && def.max !== undefined ? ` from ${def.min} to ${def.max}` : ''}`;
}

function checkInteger(def: ConfigKey, n: number, shown: string): Result<number, string> {
  if (!Number.isSafeInteger(n) || (def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max)) return err(`${integerRule(def)}, got ${shown}`);
  return ok(n);
}

function checkString(def: ConfigKey, s: string): Result<string, string> {
  if (def.oneOf && !def.oneOf.includes(s)) return err(`must be one of ${def.oneOf.join(', ')}, got '${s}'`);
  const problem = def.check?.(s);
  return problem === undefined ? ok(s) : err(problem);
}

/** The known key closest to a misspelt one (also catches `work-dir` for `workDir`). */
function suggest(name: string): string | undefined {
  const norm = (s: string): string => s.toLowerCase().replace(/[-_]/g, '');
  let best: { key: string; d: number } | undefined;
  for (const k of CONFIG_KEYS) {
    const d = distance(norm(name), norm(k.key));
    if (d <= 2 && (!best || d < best.d)) best = { key: k.key, d };
  }
  return best?.key;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** A value as `orrery config print` shows it: secrets as `***`, URLs with only their password hidden. */
export function redact(def: ConfigKey, value: ConfigValue | undefined): ConfigValue | undefined {
  if (!def.secret || value === undefined) return value;
  if (typeof value === 'string' && /^[a-z+]+:\/\//.test(value)) return redactUrl(value);
  return '***';
}
