import type { Tx } from '../../db/client';
import { enqueue } from '../../jobs/enqueue';
import { ladderInputOf, type ClockContext } from './clock';
import { escalationPlan } from './ladder';

// The escalation timer: one graphile-worker job per exception under a fixed key, due when the
// next ladder level is. Every change of the exception or its calendar calls this in its own
// transaction, which replaces the pending job (same key) or removes it, so a timer is never
// left for a moment that no longer applies. The job itself re-reads everything when it runs.

export const ESCALATE_TASK = 'escalate_exception';

export function escalationJobKey(exceptionId: string): string {
  return `${ESCALATE_TASK}:${exceptionId}`;
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

/** When the next level is due (now, if one is overdue); null when nothing is ahead. */
export function nextEscalationAt(
  ctx: ClockContext,
  fired: ReadonlySet<number>,
  now: Date,
): Date | null {
  const plan = escalationPlan(ctx.calendar.spec, ladderInputOf(ctx), fired, now);
  if (plan.due.length > 0) return now;

  return plan.next?.dueAt ?? null;
}

/** Sets the exception's timer to `at`, or cancels it; writes next_escalation_at to match. */
export async function setEscalationTimer(tx: Tx, exceptionId: string, at: Date | null) {
  const jobKey = escalationJobKey(exceptionId);
  if (at) await enqueue(tx, ESCALATE_TASK, { exceptionId }, { jobKey, runAt: at });
  else await tx.$executeRaw`SELECT graphile_worker.remove_job(${jobKey}::text)`;
  await tx.exception.update({ where: { id: exceptionId }, data: { nextEscalationAt: at } });
}

/** Re-plans the timer of an exception from its stored clock and fired levels. */
export async function rescheduleEscalation(
  tx: Tx,
  ctx: ClockContext,
  now: Date,
): Promise<Date | null> {
  const fired = await firedLevels(tx, ctx.exception.id, ctx.exception.reworkCount);
  const at = nextEscalationAt(ctx, fired, now);
  await setEscalationTimer(tx, ctx.exception.id, at);

  return at;
}

/** Cancels the timers of exceptions that left the ladder (resolved in bulk). */
export async function cancelEscalationTimers(tx: Tx, exceptionIds: readonly string[]) {
  if (exceptionIds.length === 0) return;
  const keys = exceptionIds.map(escalationJobKey);
  await tx.$executeRaw`SELECT graphile_worker.remove_job(k) FROM unnest(${keys}::text[]) AS k`;
}
