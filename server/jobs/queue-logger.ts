import { Logger, type LogLevel } from 'graphile-worker';
import { logger } from '../lib/logger';

// graphile-worker's own log lines go through our named pino logger; routine per-job lines are
// debug, so a busy queue does not flood the log.
const log = logger('queue');

export const queueLogger = new Logger(
  () => (level: LogLevel, message: string, meta?: Record<string, unknown>) => {
    const bindings = { jobId: meta?.job ? (meta.job as { id?: string }).id : undefined };
    if (level === 'error') log.error(bindings, message);
    else if (level === 'warning') log.warn(bindings, message);
    else log.debug(bindings, message);
  },
);
