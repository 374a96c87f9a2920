import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export interface RootLoggerOptions {
  level?: string;
  /** Pretty output for people; JSON otherwise. Defaults to whether stdout is a TTY. */
  pretty?: boolean;
  name?: string;
}

/**
 * The one root logger of a process, built by the composition root. Components take a child:
 * `log.child({ component: 'master' })`, entities a grandchild: `log.child({ taskId })`.
 */
export function createRootLogger(opts: RootLoggerOptions = {}): Logger {
  const options: LoggerOptions = {
    name: opts.name ?? 'orrery',
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: {
      paths: ['*.secret', '*.password', '*.token', '*.env', '*.*.env', 'headers.authorization', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  };
  const pretty = opts.pretty ?? Boolean(process.stdout.isTTY);
  if (pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } });
  }
  return pino(options);
}

/** A logger that drops everything, for tests and benchmarks that do not read logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
