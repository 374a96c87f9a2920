/**
 * The framework process of the scheduler-http benchmark: `node bin/run-ts.js bench/lib/http-framework-child.ts
 * <load tasks> <latency samples>`. One process for every round, as a framework is one long-lived process: each
 * line on stdin is the URL of a master to run both phases against, through the HTTP transport. For each it prints
 * JSON lines: `{"phase":"load"}` as the load phase starts, `{"phase":"load-done"}` as it ends (so the master's
 * process can measure the CPU it spent meanwhile), then the figures, with this process's CPU time during the load
 * phase. It exits when stdin ends.
 */
import { createInterface } from 'node:readline';
import { silentLogger } from '../../core/logging/logger.ts';
import { HttpTransport } from '../../core/sdk/index.ts';
import { launchLatency, launchLoad } from './launch-load.ts';

const [total, samples] = process.argv.slice(2);
const logger = silentLogger();
const say = (msg: unknown): void => void process.stdout.write(`${JSON.stringify(msg)}\n`);

for await (const url of createInterface({ input: process.stdin })) {
  say({ phase: 'load' });
  const cpu0 = process.cpuUsage();
  const load = await launchLoad(new HttpTransport({ url, logger }), Number(total), logger);
  const cpu = process.cpuUsage(cpu0);
  say({ phase: 'load-done' });
  const latencies = await launchLatency(new HttpTransport({ url, logger }), Number(samples), logger);
  say({ load, latencies, cpuMs: (cpu.user + cpu.system) / 1000 });
}
process.exit(0);
