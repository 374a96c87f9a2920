/**
 * `orrery config print`: the effective configuration — every key with its value (secrets redacted), and where
 * the value came from (default, file, env, flag) — after the same loading and validation every command does.
 */
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../cli-errors.ts';
import { CONFIG_KEYS } from './config-keys.ts';
import { resolveConfig } from './config-file.ts';
import { redact } from './load-config.ts';

/** Column widths of the keys table: the longest of each column. */
const KEY_WIDTH = Math.max(...CONFIG_KEYS.map((k) => k.key.length));
const ENV_WIDTH = Math.max(...CONFIG_KEYS.map((k) => (k.env ?? '').length));
const FLAG_WIDTH = Math.max(...CONFIG_KEYS.map((k) => (k.flag ? k.flag.length + 2 : 0)));

export const CONFIG_HELP = `Usage: orrery config print [--config FILE] [-o json] [flags]

Prints the effective configuration: each key's value (secrets redacted) and where it came from. Values come
from a config file (--config FILE or ORRERY_CONFIG; YAML or JSON), then environment variables, then flags —
later ones win. Every value is validated; unknown keys in the file are errors.

Keys (file key, environment variable, flag):
${CONFIG_KEYS.map((k) => `  ${k.key.padEnd(KEY_WIDTH)} ${(k.env ?? '').padEnd(ENV_WIDTH)} ${(k.flag ? `--${k.flag}` : '').padEnd(FLAG_WIDTH)} ${k.describe}${k.default !== undefined ? ` (default ${k.default})` : ''}`).join('\n')}

Examples:
  orrery config print
  orrery config print --config /etc/orrery/orrery.yaml -o json
  ORRERY_PORT=6000 orrery config print --config orrery.yaml --port 7000   # flag wins
`;

export async function configCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help' || sub === 'help') {
    process.stdout.write(CONFIG_HELP);
    return sub === undefined ? EXIT.USAGE : EXIT.OK;
  }
  try {
    if (sub !== 'print') throw new UsageError(`unknown command '${sub}'`, CONFIG_HELP);
    let values: Record<string, string | boolean | undefined>;
    try {
      ({ values } = parseArgs({
        args: rest,
        options: {
          config: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
          ...Object.fromEntries(CONFIG_KEYS.filter((k) => k.flag).map((k) => [k.flag, { type: k.type === 'boolean' ? 'boolean' : 'string', ...(k.key === 'output' && { short: 'o' }) }])),
        },
        strict: true,
      }) as { values: Record<string, string | boolean | undefined> });
    } catch (e) {
      throw new UsageError((e as Error).message, CONFIG_HELP);
    }
    if (values.help) {
      process.stdout.write(CONFIG_HELP);
      return EXIT.OK;
    }
    const cfg = resolveConfig(CONFIG_KEYS.map((k) => k.key), values);
    const shown = CONFIG_KEYS.map((k) => ({ key: k.key, value: redact(k, cfg.values[k.key]), source: cfg.origins[k.key] }));
    if (cfg.values.output === 'json') {
      process.stdout.write(`${JSON.stringify({ file: cfg.file ?? null, values: Object.fromEntries(shown.map((s) => [s.key, s.value ?? null])), sources: Object.fromEntries(shown.map((s) => [s.key, s.source])) }, null, 2)}\n`);
      return EXIT.OK;
    }
    const width = Math.max(...shown.map((s) => s.key.length)) + 2;
    const valueWidth = Math.max(5, ...shown.map((s) => String(s.value ?? '-').length)) + 2;
    process.stdout.write(`# config file: ${cfg.file ?? 'none'}\n${'KEY'.padEnd(width)}${'VALUE'.padEnd(valueWidth)}SOURCE\n`);
    for (const s of shown) process.stdout.write(`${s.key.padEnd(width)}${String(s.value ?? '-').padEnd(valueWidth)}${s.source}\n`);
    return EXIT.OK;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`orrery config: ${e.message}\n${e.help ? `\n${e.help}` : ''}`);
    return EXIT.USAGE;
  }
}
