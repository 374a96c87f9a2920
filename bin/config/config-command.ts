/**
 * `orrery config print`: the effective configuration — every key with its value (secrets redacted), and where
 * the value came from (default, file, env, flag) — after the same loading and validation every command does.
 * `--for up|master|agent` shows the keys that server command reads, with its flags and defaults, exactly as it
 * would resolve them.
 */
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../cli-errors.ts';
import { CLIENT_KEYS, COMMAND_KEYS, CONFIG_KEYS, keyAsUsed, type CommandKeys, type ConfigKey } from './config-keys.ts';
import { resolveConfig } from './config-file.ts';
import { flagOptions, refuseSecretFlags, type Flags } from './command-config.ts';
import { redact } from './load-config.ts';

type ServerCommand = keyof typeof COMMAND_KEYS;
const SERVER_COMMANDS = Object.keys(COMMAND_KEYS) as ServerCommand[];

/** The commands that read a key, and the flags and defaults they read it with where they differ from the table's. */
function usedBy(k: ConfigKey): { commands: string[]; otherFlags: string[]; otherDefaults: string[] } {
  const commands: string[] = (CLIENT_KEYS as readonly string[]).includes(k.key) ? ['client'] : [];
  const otherFlags: string[] = [];
  const otherDefaults: string[] = [];
  for (const command of SERVER_COMMANDS) {
    const use = COMMAND_KEYS[command].find((u) => keyAsUsed(u).key === k.key);
    if (use === undefined) continue;
    commands.push(command);
    const def = keyAsUsed(use);
    if (def.flag !== undefined && def.flag !== k.flag) otherFlags.push(`--${def.flag} (${command})`);
    if (def.default !== k.default) otherDefaults.push(`${command}: ${def.default}`);
  }
  return { commands, otherFlags, otherDefaults };
}

const ROWS = CONFIG_KEYS.map((k) => {
  const { commands, otherFlags, otherDefaults } = usedBy(k);
  const defaults = [...(k.default !== undefined ? [`${k.default}`] : []), ...otherDefaults];
  return { k, flags: [...(k.flag ? [`--${k.flag}`] : []), ...otherFlags].join(', '), commands: commands.join(','), defaults: defaults.length ? ` (default ${defaults.join('; ')})` : '' };
});
const KEY_WIDTH = Math.max(...ROWS.map((r) => r.k.key.length));
const ENV_WIDTH = Math.max(...ROWS.map((r) => (r.k.env ?? '').length));
const FLAG_WIDTH = Math.max(...ROWS.map((r) => r.flags.length));
const USED_WIDTH = Math.max(...ROWS.map((r) => r.commands.length));

export const CONFIG_HELP = `Usage: orrery config print [--for up|master|agent] [--config FILE] [-o json] [flags]

Prints the effective configuration: each key's value (secrets redacted) and where it came from. Values come
from a config file (--config FILE or ORRERY_CONFIG; YAML or JSON), then environment variables, then flags —
later ones win. Every value is validated; unknown keys in the file are errors. One file may hold the keys of
every command; each command reads the keys it uses.

--for COMMAND prints only the keys that server command reads, with its defaults, and takes that command's flags
(e.g. 'orrery config print --for agent --host 0.0.0.0' sets agentHost, as 'orrery agent --host' does). Without
it, every key is printed and the flags are those of the table below.

Keys (file key, environment variable, flags, commands that read it):
${ROWS.map((r) => `  ${r.k.key.padEnd(KEY_WIDTH)} ${(r.k.env ?? '').padEnd(ENV_WIDTH)} ${r.flags.padEnd(FLAG_WIDTH)} ${r.commands.padEnd(USED_WIDTH)} ${r.k.describe}${r.defaults}`).join('\n')}

Examples:
  orrery config print
  orrery config print --config /etc/orrery/orrery.yaml -o json
  ORRERY_PORT=6000 orrery config print --config orrery.yaml --port 7000   # flag wins
  orrery config print --for master --config /etc/orrery/master.yaml
  orrery config print --for agent --config /etc/orrery/agent.yaml --port 5052   # the agent's port (agentPort)
`;

/** `--for COMMAND` from the arguments, before they are parsed (the command decides which flags there are). */
function forCommand(args: readonly string[]): ServerCommand | undefined {
  const i = args.findIndex((a) => a === '--for' || a.startsWith('--for='));
  if (i < 0) return undefined;
  const name = args[i] === '--for' ? args[i + 1] : args[i].slice('--for='.length);
  if (name === undefined || !(SERVER_COMMANDS as string[]).includes(name)) throw new UsageError(`--for must be one of ${SERVER_COMMANDS.join(', ')}, got '${name ?? ''}'`, CONFIG_HELP);
  return name as ServerCommand;
}

export async function configCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help' || sub === 'help') {
    process.stdout.write(CONFIG_HELP);
    return sub === undefined ? EXIT.USAGE : EXIT.OK;
  }
  try {
    if (sub !== 'print') throw new UsageError(`unknown command '${sub}'`, CONFIG_HELP);
    const command = forCommand(rest);
    const keys: CommandKeys = command ? COMMAND_KEYS[command] : CONFIG_KEYS.map((k) => k.key);
    refuseSecretFlags(keys, rest);
    let values: Flags;
    try {
      ({ values } = parseArgs({
        args: rest,
        options: { ...flagOptions(keys), config: { type: 'string' }, for: { type: 'string' }, output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
        strict: true,
      }) as { values: Flags });
    } catch (e) {
      throw new UsageError((e as Error).message, CONFIG_HELP);
    }
    if (values.help) {
      process.stdout.write(CONFIG_HELP);
      return EXIT.OK;
    }
    // `output` is how this command prints, read like any key (-o, ORRERY_OUTPUT, the file), shown only without --for.
    const cfg = resolveConfig(command ? [...keys, 'output'] : keys, values);
    const shown = keys.map((use) => {
      const def = keyAsUsed(use);
      return { key: def.key, value: redact(def, cfg.values[def.key]), source: cfg.origins[def.key] };
    });
    if (cfg.values.output === 'json') {
      process.stdout.write(`${JSON.stringify({ file: cfg.file ?? null, ...(command && { for: command }), values: Object.fromEntries(shown.map((s) => [s.key, s.value ?? null])), sources: Object.fromEntries(shown.map((s) => [s.key, s.source])) }, null, 2)}\n`);
      return EXIT.OK;
    }
    const width = Math.max(...shown.map((s) => s.key.length)) + 2;
    const valueWidth = Math.max(5, ...shown.map((s) => String(s.value ?? '-').length)) + 2;
    process.stdout.write(`# config file: ${cfg.file ?? 'none'}${command ? `\n# for: orrery ${command}` : ''}\n${'KEY'.padEnd(width)}${'VALUE'.padEnd(valueWidth)}SOURCE\n`);
    for (const s of shown) process.stdout.write(`${s.key.padEnd(width)}${String(s.value ?? '-').padEnd(valueWidth)}${s.source}\n`);
    return EXIT.OK;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`orrery config: ${e.message}\n${e.help ? `\n${e.help}` : ''}`);
    return EXIT.USAGE;
  }
}
