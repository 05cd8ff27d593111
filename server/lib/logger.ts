import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

// One root logger; modules take a named child. JSON in production, readable in development.
// pino-pretty runs as an in-process stream rather than a transport thread, so that it works the
// same inside Next's server bundle, tsx scripts and the worker.
function createRoot(): Logger {
  const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info');
  const format =
    process.env.LOG_FORMAT ?? (process.env.NODE_ENV === 'production' ? 'json' : 'pretty');
  if (format === 'json') return pino({ level, base: { service: 'control-tower' } });

  return pino(
    { level, base: undefined },
    pretty({ colorize: Boolean(process.stdout.isTTY), translateTime: 'HH:MM:ss.l', sync: true }),
  );
}

const globalForLogger = globalThis as unknown as { rootLogger?: Logger };
export const rootLogger: Logger = globalForLogger.rootLogger ?? createRoot();
globalForLogger.rootLogger = rootLogger;

export function logger(name: string, bindings: Record<string, unknown> = {}): Logger {
  return rootLogger.child({ module: name, ...bindings });
}
