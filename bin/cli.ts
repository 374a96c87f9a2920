/**
 * The `orrery` command line. `orrery up` runs everything in one process; the client commands (bin/client/)
 * talk to a running Orrery over its HTTP API. Exit codes: 0 ok, 1 error, 2 usage.
 */
import { readFileSync } from 'node:fs';
import { up } from './up-command.ts';
import { CLIENT_HELP, runClient } from './client/client-commands.ts';
import { configCommand } from './config/config-command.ts';
import { agentCommand, masterCommand } from './server-commands.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const HELP = `Usage: orrery <command> [options]

Commands:
  up         start master, agent, services and API in one process
  master     start the control plane (master, services, API) for remote agents
  agent      start an agent for this host, linked to a master
  version    print the version

${CLIENT_HELP}
Run 'orrery <command> --help' for a command's options.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up':
      return up(rest);
    case 'jobs':
    case 'apps':
    case 'deployments':
    case 'tasks':
    case 'agents':
    case 'leader':
    case 'events':
      return runClient(command, rest);
    case 'config':
      return configCommand(rest);
    case 'master':
      return masterCommand(rest);
    case 'agent':
      return agentCommand(rest);
    case 'version':
    case '--version':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`orrery: unknown command '${command}'\n\n${HELP}`);
      return 2;
  }
}

