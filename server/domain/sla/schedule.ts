import type { Tx } from '../../db/client';
import { enqueueJobs } from '../../jobs/enqueue';
import { ladderInputOf, type ClockContext } from './clock';
import { escalationPlan, type EscalationPlan, type Level } from './ladder';

// The escalation timer: one sla_timers row per exception, due when its next ladder level is.
// Every change of the exception or its calendar calls setTimers in its own transaction, under
// the exception's row lock, and the sweep (sweep.ts) claims due rows under that same lock: a
// moved or cancelled timer is a changed or deleted row before any sweep can see it, and what a
// sweep fires it decides from the exception's clock as it then stands, never from the row.
// Durable: each due second has a sweep job (run_at = that second) in graphile-worker, enqueued
// with the row; the worker's alarm (timer-alarm.ts) sweeps at the moment itself, and the job is
// the backstop when no alarm runs.

export const SWEEP_TASK = 'sla_sweep';
/** Notified with the earliest due time (epoch ms) of timers set by a committed transaction. */
export const TIMER_CHANNEL = 'ct_sla_timers';
/**
 * The per-exception job of earlier versions, kept as a task for such jobs still in a deployed
 * queue (it brings its exception's ladder up to date and sets its timer row). Can go once no
 * `escalate_exception` job is left in any queue.
 */
export const ESCALATE_TASK = 'escalate_exception';

export interface NextTimer {
  level: Level;
  dueAt: Date;
}

export interface TimerSetting {
  exceptionId: string;
  cycle: number;
  /** Null cancels the exception's timer. */
  next: NextTimer | null;
}

/** When the sweep job for a timer due at `dueAt` runs: the end of the second it falls in. */
export function sweepRunAt(dueAt: Date): Date {
  return new Date(Math.ceil(dueAt.getTime() / 1000) * 1000);
}

export async function firedLevels(
  tx: Tx,
  exceptionId: string,
  cycle: number,
): Promise<Set<number>> {
  const rows = await tx.exceptionEscalation.findMany({
    where: { exceptionId, cycle },
    select: { level: true },
  });

  return new Set(rows.map((r) => r.level));
}

/** The next level and when it is due (now, if one is overdue); null when nothing is ahead. */
export function nextTimer(
  ctx: ClockContext,
  fired: ReadonlySet<number>,
  now: Date,
): NextTimer | null {
  return timerOf(escalationPlan(ctx.calendar.spec, ladderInputOf(ctx), fired, now), now);
}

/** The timer a plan asks for: now when a level is overdue, else the next level's due time. */
export function timerOf(plan: EscalationPlan, now: Date): NextTimer | null {
  if (plan.due.length > 0) return { level: plan.due[0]!.level, dueAt: now };

  return plan.next ? { level: plan.next.level, dueAt: plan.next.dueAt } : null;
}

/** When the next level is due (now, if one is overdue); null when nothing is ahead. */
export function nextEscalationAt(
  ctx: ClockContext,
  fired: ReadonlySet<number>,
  now: Date,
): Date | null {
  return nextTimer(ctx, fired, now)?.dueAt ?? null;
}

/**
 * Sets, moves or cancels the timers of many exceptions in a few statements: the rows, the
 * exceptions' next_escalation_at, one sweep job per due second and a notice to the alarms.
 * `at` is when they are armed, the transaction's start by default.
 */
export async function setTimers(
  tx: Tx,
  settings: readonly TimerSetting[],
  opts: { exceptionsWritten?: boolean; at?: Date } = {},
): Promise<void> {
  if (settings.length === 0) return;
  const armed = settings.filter((s) => s.next !== null);
  const cancelled = settings.filter((s) => s.next === null).map((s) => s.exceptionId);
  if (cancelled.length > 0) {
    await tx.$executeRaw`DELETE FROM sla_timers WHERE exception_id = ANY(${cancelled}::uuid[])`;
  }
  if (armed.length > 0) {
    await tx.$executeRaw`
      INSERT INTO sla_timers (exception_id, cycle, level, due_at, armed_at)
      SELECT id, cycle, level, due_at, coalesce(${opts.at?.toISOString() ?? null}::timestamptz, now())
      FROM unnest(${armed.map((s) => s.exceptionId)}::uuid[], ${armed.map((s) => s.cycle)}::int[],
                  ${armed.map((s) => s.next!.level)}::smallint[],
                  ${armed.map((s) => s.next!.dueAt.toISOString())}::timestamptz[])
        AS v(id, cycle, level, due_at)
      ON CONFLICT (exception_id) DO UPDATE
        SET cycle = excluded.cycle, level = excluded.level, due_at = excluded.due_at,
            armed_at = excluded.armed_at
        WHERE (sla_timers.cycle, sla_timers.level, sla_timers.due_at)
              IS DISTINCT FROM (excluded.cycle, excluded.level, excluded.due_at)`;
  }
  // A caller that writes next_escalation_at itself, with its own change of the same rows, says so.
  if (!opts.exceptionsWritten) await writeNextEscalationAt(tx, settings);
  if (armed.length > 0)
    await armSweeps(
      tx,
      armed.map((s) => s.next!.dueAt),
    );
}

async function writeNextEscalationAt(tx: Tx, settings: readonly TimerSetting[]) {
  await tx.$executeRaw`
    UPDATE exceptions AS e SET next_escalation_at = v.due_at, updated_at = now()
    FROM unnest(${settings.map((s) => s.exceptionId)}::uuid[],
                ${settings.map((s) => s.next?.dueAt.toISOString() ?? null)}::timestamptz[])
      AS v(id, due_at)
    WHERE e.id = v.id AND e.next_escalation_at IS DISTINCT FROM v.due_at`;
}

/**
 * One sweep job per due second of the transaction. The jobs carry no job_key: a key would make
 * every transaction that sets a timer in the same second wait for the others to commit (the
 * key's unique index). Two transactions may so queue two sweeps for one second; a sweep that
 * has run completes the ones left due by then (sweep.ts), so they do not pile up.
 */
export async function armSweeps(tx: Tx, dues: readonly Date[]): Promise<void> {
  if (dues.length === 0) return;
  const seconds = [...new Set(dues.map((d) => sweepRunAt(d).getTime()))].sort((a, b) => a - b);
  await enqueueJobs(
    tx,
    seconds.map((at) => ({ task: SWEEP_TASK, payload: {}, maxAttempts: 25, runAt: new Date(at) })),
  );
  const earliest = Math.min(...dues.map((d) => d.getTime()));
  await tx.$executeRaw`SELECT pg_notify(${TIMER_CHANNEL}, ${String(earliest)})`;
}

/** Puts a timer whose firing failed off until `at`, so that it does not hold up the others. */
export async function postponeTimer(tx: Tx, exceptionId: string, at: Date): Promise<void> {
  await tx.$executeRaw`UPDATE sla_timers SET due_at = ${at.toISOString()}::timestamptz
    WHERE exception_id = ${exceptionId}::uuid`;
  await armSweeps(tx, [at]);
}

/** Sets the exception's timer to `next`, or cancels it; writes next_escalation_at to match. */
export async function setEscalationTimer(
  tx: Tx,
  exceptionId: string,
  cycle: number,
  next: NextTimer | null,
) {
  await setTimers(tx, [{ exceptionId, cycle, next }]);
}

/** Re-plans the timer of an exception from its stored clock and fired levels. */
export async function rescheduleEscalation(
  tx: Tx,
  ctx: ClockContext,
  now: Date,
): Promise<Date | null> {
  const cycle = ctx.exception.reworkCount;
  const fired = await firedLevels(tx, ctx.exception.id, cycle);
  const next = nextTimer(ctx, fired, now);
  await setEscalationTimer(tx, ctx.exception.id, cycle, next);

  return next?.dueAt ?? null;
}

/** Cancels the timers of exceptions that left the ladder (resolved in bulk). */
export async function cancelEscalationTimers(tx: Tx, exceptionIds: readonly string[]) {
  await setTimers(
    tx,
    exceptionIds.map((exceptionId) => ({ exceptionId, cycle: 0, next: null })),
  );
}
