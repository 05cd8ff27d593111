import os from 'node:os';
import { run, runMigrations, type Runner, type TaskList } from 'graphile-worker';
import pg from 'pg';
import { logger } from '../lib/logger';
import { createPrisma, type Db } from '../db/client';
import { CHECKPOINT_TASK, sealAuditLog } from '../domain/audit/checkpoint';
import { signingKey } from '../domain/audit/signing-key';
import { startTimerAlarm } from '../domain/sla/timer-alarm';
import { APPLY_TASK } from '../domain/shipments/apply-job';
import { BATCH_SHARDS } from './batch-jobs';
import { queueLogger } from './queue-logger';
import { createTaskList } from './tasks';

const log = logger('worker');
const HEARTBEAT_MS = 5_000;
// The audit log is sealed at least every minute (and at shutdown, below). One attempt per
// minute: a round that fails leaves its rows to the next one, which seals them as well.
const CRONTAB = `* * * * * ${CHECKPOINT_TASK} ?max=1`;

export interface WorkerHandle {
  stop(): Promise<void>;
}

/** graphile-worker's own schema, created before any job can be enqueued in a transaction. */
export async function prepareQueue(connectionString: string): Promise<void> {
  await runMigrations({ connectionString, logger: queueLogger });
}

/** How often an idle worker looks for due jobs it was not told about (LISTEN/NOTIFY tells it). */
export const QUEUE_POLL_INTERVAL_MS = 500;

/**
 * The queue's own connections (taking, completing and failing jobs) commit asynchronously: a
 * job's completion no longer waits for a WAL flush of its own, which on a slow disk is what
 * bounds the queue's rate. Nothing is lost: WAL is written in order, so a completion that
 * survives a crash implies that the job's work, committed before it, survives too; a completion
 * lost in a crash leaves its job queued, and it runs again (jobs are idempotent). Work a job
 * commits through its own client keeps that client's setting. Shared with the bench's runners.
 */
export function queuePool(connectionString: string, max: number): pg.Pool {
  return new pg.Pool({ connectionString, max, options: '-c synchronous_commit=off' });
}

/** WORKER_CONCURRENCY: a worker process's slots for the work other than the applies (2). */
export function workerConcurrency(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 2;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 64)
    throw new Error(`WORKER_CONCURRENCY must be a whole number from 1 to 64, got "${raw}"`);

  return value;
}

/** Which of a worker's runners a process runs (WORKER_ROLE): both, or one of the two. */
export type WorkerRole = 'all' | 'applies' | 'others';

/** WORKER_ROLE: `all` (the default), `applies` or `others`. */
export function workerRole(raw: string | undefined): WorkerRole {
  if (raw === undefined || raw === '') return 'all';
  if (raw === 'all' || raw === 'applies' || raw === 'others') return raw;
  throw new Error(`WORKER_ROLE must be all, applies or others, got "${raw}"`);
}

/**
 * A worker process's two runners, on one pool, each taking its own tasks with its own slots:
 * the applies, a slot per shard (a shard's batches run one at a time anyway), and every other
 * task, `concurrency` slots. The decisions of staged shipments are then never queued behind
 * the branch work the READY ones start, nor behind SLA sweeps, imports or deliveries, however
 * many of those wait; and on a small machine few slots for that work leave the cores to the
 * decisions while a backlog of it drains. (A runner more costs every enqueue a fetch more: each
 * runner's idle slots are woken to look for a job by every job added.) `role` runs one of the
 * two only: the applies in a process of their own, whose event loop no branch's computing
 * delays, and the rest in others (one process or several, each with `concurrency` slots).
 */
export async function startWorker(
  connectionString: string,
  concurrency = workerConcurrency(process.env.WORKER_CONCURRENCY),
  role = workerRole(process.env.WORKER_ROLE),
): Promise<WorkerHandle> {
  const applySlots = role === 'others' ? 0 : BATCH_SHARDS;
  const otherSlots = role === 'applies' ? 0 : concurrency;
  const slots = applySlots + otherSlots;
  // Each runner also keeps a connection to listen on.
  const pool = queuePool(connectionString, slots + 4);
  // An idle client dropped by the server (a restart, a shutdown) must not crash the process.
  pool.on('error', (error) => log.warn({ err: error.message }, 'idle database connection lost'));
  const db = createPrisma(connectionString, slots + 2);
  const tasks = createTaskList(db);
  const { [APPLY_TASK]: apply, ...others } = tasks;
  const runner = (taskList: TaskList, slotCount: number, crontab?: string) =>
    run({
      pgPool: pool,
      taskList,
      concurrency: slotCount,
      pollInterval: QUEUE_POLL_INTERVAL_MS,
      ...(crontab ? { crontab } : {}),
      noHandleSignals: true,
      logger: queueLogger,
    });
  const runners: Runner[] = [];
  if (applySlots > 0) runners.push(await runner({ [APPLY_TASK]: apply! }, applySlots));
  if (otherSlots > 0) runners.push(await runner(others, otherSlots, CRONTAB));
  // SLA timers fire at their due moment, not at the queue's next poll (sla/timer-alarm.ts), in
  // the processes that run that work.
  const slaAlarm = otherSlots > 0 ? await startTimerAlarm(connectionString, db) : null;
  const workerId = `${os.hostname()}:${process.pid}`;
  const startedAt = new Date();
  const beat = () =>
    pool
      .query(
        `INSERT INTO worker_heartbeats (worker_id, hostname, pid, started_at, seen_at)
         VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (worker_id) DO UPDATE SET seen_at = now()`,
        [workerId, os.hostname(), process.pid, startedAt],
      )
      .catch((error: unknown) => log.warn({ err: error }, 'heartbeat failed'));
  await beat();
  const timer = setInterval(beat, HEARTBEAT_MS);
  log.info({ workerId, role, otherSlots, applySlots }, 'worker started');

  // Once, however often it is asked (a second signal during shutdown waits for the first).
  let stopping: Promise<void> | null = null;
  const stop = async () => {
    clearInterval(timer);
    await slaAlarm?.stop();
    // A runner that stopped by itself (its database gone) refuses a second stop.
    for (const runner of runners)
      await Promise.resolve()
        .then(() => runner.stop())
        .catch((error: unknown) => log.warn({ err: error }, 'queue runner was already stopped'));
    await sealAtShutdown(db);
    await pool
      .query('DELETE FROM worker_heartbeats WHERE worker_id = $1', [workerId])
      .catch(() => undefined);
    await pool.end();
    await db.$disconnect();
    log.info({ workerId }, 'worker stopped');
  };

  return {
    stop() {
      stopping ??= stop();

      return stopping;
    },
  };
}

/** The rows written since the last minute's checkpoint, sealed before the process goes. */
async function sealAtShutdown(db: Db): Promise<void> {
  try {
    await sealAuditLog(db, signingKey(), { settleMs: 2_000 });
  } catch (error) {
    log.warn({ err: error }, 'audit checkpoint at shutdown failed');
  }
}
