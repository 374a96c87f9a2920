/**
 * The framework process of the scheduler-http benchmark: `node bin/run-ts.js bench/lib/http-framework-child.ts
 * <master url> <load tasks> <latency samples>`. Runs both phases through the HTTP transport and prints one JSON
 * line with the figures.
 */
import { silentLogger } from '../../core/logging/logger.ts';
import { HttpTransport } from '../../core/sdk/index.ts';
import { launchLatency, launchLoad } from './launch-load.ts';

const [url, total, samples] = process.argv.slice(2);
const logger = silentLogger();
const load = await launchLoad(new HttpTransport({ url, logger }), Number(total), logger);
const latencies = await launchLatency(new HttpTransport({ url, logger }), Number(samples), logger);
process.stdout.write(`${JSON.stringify({ load, latencies })}\n`);
process.exit(0);
