/**
 * The life of a server command (`up`, `master`, `agent`), one way for all three:
 *
 *   configure ─help─▶ 0 │ usage/config error ─▶ 2
 *        ▼
 *   start(cfg, logger) ─ConfigError (a bind rule, an unreadable file)─▶ 2 │ other error ─▶ 1
 *        ▼
 *   banner on stdout ─ SIGINT/SIGTERM ─ stop() ─ flush logs ─▶ 0
 */
import { createRootLogger, type Logger } from '../core/logging/logger.ts';
import { ConfigError } from '../services/server/orrery.ts';
import { UsageError } from './cli-errors.ts';

export interface ServerCommand<C, R extends { stop(): Promise<void> }> {
  /** `up`, `master`, `agent`: names the command in messages. */
  name: string;
  help: string;
  /** The command's configuration from its arguments (throws UsageError), or 'help'. */
  configure(): { cfg: C; logLevel: string } | 'help';
  start(cfg: C, logger: Logger): Promise<R>;
  banner(running: R, cfg: C): string;
}

export async function runServer<C, R extends { stop(): Promise<void> }>(cmd: ServerCommand<C, R>): Promise<number> {
  let configured: { cfg: C; logLevel: string } | 'help';
  try {
    configured = cmd.configure();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`orrery ${cmd.name}: ${e.message}\n${e.help ? `\n${e.help}` : ''}`);
    return 2;
  }
  if (configured === 'help') {
    process.stdout.write(cmd.help);
    return 0;
  }
  const { cfg, logLevel } = configured;
  const logger = createRootLogger({ level: logLevel });
  let running: R;
  try {
    running = await cmd.start(cfg, logger);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`orrery ${cmd.name}: ${e.message}\n`);
      return 2;
    }
    logger.fatal({ err: e }, `orrery ${cmd.name} failed to start`);
    process.stderr.write(`orrery ${cmd.name}: ${(e as Error).message}\n`);
    return 1;
  }
  process.stdout.write(cmd.banner(running, cfg));
  await untilSignal(logger);
  await running.stop();
  logger.flush?.();
  return 0;
}

function untilSignal(logger: Logger): Promise<void> {
  return new Promise<void>((resolve) => {
    const onSignal = (signal: string): void => {
      logger.info({ signal }, 'shutting down');
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
