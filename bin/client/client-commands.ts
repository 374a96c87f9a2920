/** The client commands by name, for bin/cli.ts: `orrery jobs|apps|deployments|tasks|agents|leader|events …`. */
import { appsGroup, deploymentsGroup } from './apps-commands.ts';
import { agentsGroup, leaderCommand, tasksGroup } from './cluster-commands.ts';
import { runCommand, runGroup, type Command, type Group } from './command.ts';
import { eventsCommand } from './events-command.ts';
import { jobsGroup } from './jobs-commands.ts';

const GROUPS: Record<string, Group> = { jobs: jobsGroup, apps: appsGroup, deployments: deploymentsGroup, tasks: tasksGroup, agents: agentsGroup };
const SINGLE: Record<string, Command> = { leader: leaderCommand, events: eventsCommand };

export const CLIENT_COMMANDS = [...Object.keys(GROUPS), ...Object.keys(SINGLE)];

export const CLIENT_HELP = `Client commands (against --url / ORRERY_URL, default http://127.0.0.1:5050; token from --token / ORRERY_TOKEN):
  jobs         ls | get | add -f FILE | run | kill | rm | runs | logs [-f] | graph
  apps         ls | get | add -f FILE [--wait] | scale ID N [--wait] | restart | suspend | rm | tasks | versions | rollback
  deployments  ls | cancel
  tasks        ls | get | logs [-f] | kill
  agents       ls | drain
  leader       the leading master
  events       follow the event stream
  config       print the effective configuration (secrets redacted)
Add -o json for scripts. Exit codes: 0 ok, 1 error (API or network), 2 usage.
`;

export function runClient(command: string, argv: string[]): Promise<number> {
  // `orrery events | head -3`: the reader went away; that ends the command, it is not an error.
  process.stdout.once('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(0);
  });
  const group = GROUPS[command];
  if (group) return runGroup(group, argv);
  return runCommand(command, SINGLE[command], argv);
}
