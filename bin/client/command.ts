/**
 * The small command model of the client commands: a group (`jobs`) has sub-commands (`ls`, `get`…); each
 * declares its arguments, options, summary and examples, from which its `--help` is written. `runGroup` parses
 * the command line with node:util parseArgs (strict), loads the configuration (file < env < flags) for the
 * URL, token and output, and runs the command. Exit codes: 0 ok, 1 API or network error, 2 usage.
 */
import { parseArgs } from 'node:util';
import { CommandError, EXIT, UsageError } from '../cli-errors.ts';
import { CLIENT_KEYS } from '../config/config-keys.ts';
import { resolveConfig } from '../config/config-file.ts';
import { ApiClient } from './api-client.ts';

export interface OptionSpec {
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** Placeholder shown in help, e.g. FILE. */
  arg?: string;
  help: string;
}

export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Ctx {
  api: ApiClient;
  /** `-o json`: print JSON (the API's documents) instead of tables. */
  json: boolean;
  /** stdout is a terminal (progress bars redraw in place). */
  tty: boolean;
  out(text: string): void;
  err(text: string): void;
  /** Aborted on Ctrl+C: following commands stop and exit 0. */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  aliases?: string[];
  /** Positional arguments for the usage line, e.g. `NAME [RUN]`. */
  args?: string;
  /** Required and maximal count of positional arguments. */
  positionals?: [min: number, max: number];
  summary: string;
  description?: string;
  options?: OptionSpec[];
  examples: string[];
  run(ctx: Ctx, values: Values, positionals: string[]): Promise<number>;
}

export interface Group {
  name: string;
  summary: string;
  commands: Command[];
}

const GLOBAL_OPTIONS: OptionSpec[] = [
  { name: 'url', type: 'string', arg: 'URL', help: 'Orrery API (ORRERY_URL, default http://127.0.0.1:5050)' },
  { name: 'token', type: 'string', arg: 'TOKEN', help: 'bearer token (ORRERY_TOKEN)' },
  { name: 'output', short: 'o', type: 'string', arg: 'FORMAT', help: 'table (default) or json (ORRERY_OUTPUT)' },
  { name: 'config', type: 'string', arg: 'FILE', help: 'config file, YAML or JSON (ORRERY_CONFIG)' },
  { name: 'help', short: 'h', type: 'boolean', help: 'this help' },
];

const optionLeft = (o: OptionSpec): string => `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.arg ? ` ${o.arg}` : ''}`;

function optionLines(options: OptionSpec[], width: number): string {
  return options.map((o) => `  ${optionLeft(o).padEnd(width)}${o.help}`).join('\n');
}

export function commandHelp(prefix: string, cmd: Command): string {
  const usage = `Usage: orrery ${prefix}${cmd.name ? ` ${cmd.name}` : ''}${cmd.args ? ` ${cmd.args}` : ''} [options]`;
  const parts = [usage, '', cmd.description ?? cmd.summary];
  if (cmd.aliases?.length) parts.push('', `Aliases: ${cmd.aliases.join(', ')}`);
  const width = Math.max(...[...GLOBAL_OPTIONS, ...(cmd.options ?? [])].map((o) => optionLeft(o).length)) + 2;
  if (cmd.options?.length) parts.push('', 'Options:', optionLines(cmd.options, width));
  parts.push('', 'Global options:', optionLines(GLOBAL_OPTIONS, width));
  parts.push('', 'Examples:', ...cmd.examples.map((e) => `  ${e}`));
  return `${parts.join('\n')}\n`;
}

export function groupHelp(group: Group): string {
  const width = Math.max(...group.commands.map((c) => c.name.length + (c.args ? c.args.length + 1 : 0))) + 2;
  const lines = group.commands.map((c) => `  ${`${c.name}${c.args ? ` ${c.args}` : ''}`.padEnd(width)}${c.summary}`);
  return `Usage: orrery ${group.name} <command> [options]\n\n${group.summary}\n\nCommands:\n${lines.join('\n')}\n\nRun 'orrery ${group.name} <command> --help' for a command's options and examples.\n`;
}

/** Runs `orrery <group> <command> …`. */
export async function runGroup(group: Group, argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(groupHelp(group));
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const cmd = group.commands.find((c) => c.name === name || c.aliases?.includes(name));
  if (!cmd) {
    process.stderr.write(`orrery ${group.name}: unknown command '${name}'\n\n${groupHelp(group)}`);
    return EXIT.USAGE;
  }
  return runCommand(group.name, cmd, rest);
}

/** Runs one command (`prefix` is its group, or '' for top-level commands such as `leader`). */
export async function runCommand(prefix: string, cmd: Command, argv: string[]): Promise<number> {
  const title = `orrery ${prefix}${cmd.name ? ` ${cmd.name}` : ''}`.replace(/\s+/g, ' ').trim();
  const help = commandHelp(prefix, cmd);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const options = [...GLOBAL_OPTIONS, ...(cmd.options ?? [])];
    let parsed: { values: Values; positionals: string[] };
    try {
      parsed = parseArgs({
        args: argv,
        options: Object.fromEntries(options.map((o) => [o.name, { type: o.type, ...(o.short && { short: o.short }), ...(o.multiple && { multiple: true }) }])),
        strict: true,
        allowPositionals: true,
      }) as { values: Values; positionals: string[] };
    } catch (e) {
      throw new UsageError((e as Error).message, help);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      process.stdout.write(help);
      return EXIT.OK;
    }
    const [min, max] = cmd.positionals ?? [0, 0];
    if (positionals.length < min) throw new UsageError(`missing argument${cmd.args ? `: ${cmd.args}` : ''}`, help);
    if (positionals.length > max) throw new UsageError(`unexpected argument '${positionals[max]}'`, help);
    const cfg = resolveConfig(CLIENT_KEYS, values as Record<string, string | boolean | undefined>);
    const ctx: Ctx = {
      api: new ApiClient(String(cfg.values.url), cfg.values.token as string | undefined),
      json: cfg.values.output === 'json',
      tty: Boolean(process.stdout.isTTY),
      out: (t) => process.stdout.write(t),
      err: (t) => process.stderr.write(t),
      signal: controller.signal,
    };
    return await cmd.run(ctx, values, positionals);
  } catch (e) {
    if (controller.signal.aborted && (e as Error).name === 'AbortError') return EXIT.OK;
    if (e instanceof UsageError) {
      process.stderr.write(`${title}: ${e.message}\n${e.help ? `\n${e.help}` : ''}`);
      return EXIT.USAGE;
    }
    if (e instanceof CommandError) {
      process.stderr.write(`${title}: ${e.message}\n`);
      return EXIT.ERROR;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** A value of a string option, or undefined. */
export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A non-negative integer option or argument; UsageError naming it otherwise. */
export function int(text: string | undefined, name: string, fallback?: number): number {
  if (text === undefined) {
    if (fallback === undefined) throw new UsageError(`missing ${name}`);
    return fallback;
  }
  if (!/^\d+$/.test(text)) throw new UsageError(`${name} must be a non-negative integer, got '${text}'`);
  return Number(text);
}
