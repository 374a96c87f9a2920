/**
 * A small third-party framework: launches N shell tasks through a remote Orrery master's framework API
 * (`POST /api/v1/scheduler`) and prints every status update. Copy it as the start of your own.
 *
 *   node bin/run-ts.js examples/framework/echo-framework.ts --master http://127.0.0.1:5050 --count 3
 *
 * Options:
 *   --master URL           the master (default $ORRERY_URL or http://127.0.0.1:5050)
 *   --count N              tasks to launch (default 3)
 *   --command CMD          shell command of each task; $TASK_INDEX is 0..N-1 (default: echo hello from task $TASK_INDEX)
 *   --cpus X --mem MB      per task (default 0.1 and 32)
 *   --name NAME            framework name, also the task id prefix (default echo)
 *   --id-file FILE         keeps the framework id: a restarted process re-subscribes as the same framework, sees its
 *                          tasks still running and the updates it missed, and launches nothing new
 *   --failover-timeout S   how long the master keeps the tasks while this process is away (default 60)
 * Credentials, when the master requires them: ORRERY_PRINCIPAL and ORRERY_SECRET in the environment.
 *
 * Output, one line per event: `subscribed <framework id>`, `update <task id> <STATE> [exit=<code>] [reason]`,
 * `done` when every task it knows of has ended (then it exits 0).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pino from 'pino';
import {
  HttpTransport,
  SchedulerDriver,
  containsResources,
  isTerminal,
  parseResources,
  subtractResources,
  type FrameworkIdStore,
  type Offer,
  type Scheduler,
  type TaskInfo,
  type TaskStatus,
} from '../../core/sdk/index.ts';

const { values } = parseArgs({
  options: {
    master: { type: 'string', default: process.env.ORRERY_URL ?? 'http://127.0.0.1:5050' },
    count: { type: 'string', default: '3' },
    command: { type: 'string', default: 'echo hello from task $TASK_INDEX' },
    cpus: { type: 'string', default: '0.1' },
    mem: { type: 'string', default: '32' },
    name: { type: 'string', default: 'echo' },
    'id-file': { type: 'string' },
    'failover-timeout': { type: 'string', default: '60' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write('usage: echo-framework.ts [--master URL] [--count N] [--command CMD] [--cpus X] [--mem MB] [--name NAME] [--id-file FILE] [--failover-timeout S]\n(see the comment at the top of examples/framework/echo-framework.ts)\n');
  process.exit(0);
}

const count = Number(values.count);
const parsedShape = parseResources(`cpus:${values.cpus};mem:${values.mem}`);
if (!parsedShape.ok) throw new Error(parsedShape.error.message);
const shape = parsedShape.value;
const say = (line: string): void => void process.stdout.write(`${line}\n`);

/** The framework id in a file, so a restart is a failover, not a new framework. */
function fileIdStore(file: string): FrameworkIdStore {
  return {
    load: async () => (await readFile(file, 'utf8').catch(() => '')).trim() || undefined,
    save: (id) => writeFile(file, id),
  };
}

class EchoScheduler implements Scheduler {
  /** Task id → latest state, for every task this process has heard of. */
  readonly tasks = new Map<string, string>();
  private next = 0;
  /** A re-subscribed framework (restart) only watches the tasks it already has. */
  launching = true;

  subscribed(_driver: SchedulerDriver, frameworkId: string): void {
    say(`subscribed ${frameworkId}`);
  }

  offers(driver: SchedulerDriver, offers: Offer[]): void {
    for (const offer of offers) {
      const tasks: TaskInfo[] = [];
      let left = offer.resources;
      while (this.launching && this.next < count && containsResources(left, shape)) {
        const i = this.next++;
        const taskId = `${values.name}-${i}`;
        tasks.push({ taskId, name: taskId, agentId: offer.agentId, resources: shape, command: { shell: true, value: values.command!, env: { TASK_INDEX: String(i) } } });
        this.tasks.set(taskId, 'STAGING');
        left = subtractResources(left, shape);
      }
      // Not awaited here (see Scheduler.offers); a refusal is reported when it comes.
      const answer = tasks.length > 0 ? driver.launch([offer.id], tasks) : driver.decline([offer.id], { refuseSeconds: 30 });
      void answer.then((r) => {
        if (!r.ok) say(`refused ${r.error.code} ${r.error.message}`);
      });
    }
    if (!this.launching || this.next >= count) void driver.suppress();
  }

  private finishing = false;

  update(driver: SchedulerDriver, status: TaskStatus): void {
    if (this.finishing) return;
    this.tasks.set(status.taskId, status.state);
    const extra = [status.exitCode === undefined ? '' : `exit=${status.exitCode}`, status.reason ?? ''].filter(Boolean).join(' ');
    say(`update ${status.taskId} ${status.state}${extra ? ` ${extra}` : ''}`);
    const allLaunched = !this.launching || this.next >= count;
    // UNKNOWN: the master no longer knows the task (it ended long ago); nothing more will come for it.
    if (allLaunched && this.tasks.size > 0 && [...this.tasks.values()].every((s) => s === 'UNKNOWN' || isTerminal(s as TaskStatus['state']))) {
      say('done');
      this.finishing = true;
      // Acknowledge this last update before leaving (the driver does so right after this callback returns).
      setImmediate(() => {
        void driver.teardown().finally(() => process.exit(0));
      });
    }
  }

  error(_driver: SchedulerDriver, message: string): void {
    say(`error ${message}`);
  }

  disconnected(_driver: SchedulerDriver, reason: string): void {
    if (this.finishing) return;
    say(`disconnected ${reason}`);
    process.exit(1);
  }
}

const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
const principal = process.env.ORRERY_PRINCIPAL;
const secret = process.env.ORRERY_SECRET;
// `--master URL[,URL…]`: the replicas of an HA master; any of them redirects to the leader.
const [masterUrl, ...otherMasters] = values.master!.split(',').map((u) => u.trim()).filter(Boolean);
const transport = new HttpTransport({ url: masterUrl!, otherUrls: otherMasters, logger, credentials: principal && secret ? { principal, secret } : undefined });
const scheduler = new EchoScheduler();
const idStore = values['id-file'] ? fileIdStore(values['id-file']) : undefined;
scheduler.launching = (await idStore?.load()) === undefined;
// After a restart: the tasks it launched before are `<name>-0 … <name>-(N-1)`; ask the master about each of them.
const known = scheduler.launching ? [] : Array.from({ length: count }, (_, i) => `${values.name}-${i}`);
for (const taskId of known) scheduler.tasks.set(taskId, 'PENDING');
const driver = new SchedulerDriver(transport, { name: values.name!, failoverTimeoutMs: Number(values['failover-timeout']) * 1000, principal }, scheduler, { logger, idStore });
const started = await driver.start();
if (!started.ok) {
  say(`refused ${started.error.code} ${started.error.message}`);
  process.exit(1);
}
if (scheduler.launching) await driver.revive();
else await driver.reconcile(known.map((taskId) => ({ taskId })));
process.on('SIGINT', () => {
  driver.stop();
  process.exit(130);
});
