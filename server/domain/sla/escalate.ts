import type { Db, Tx } from '../../db/client';
import { logger } from '../../lib/logger';
import { writeAudit } from '../audit/write-audit';
import { notify } from '../notifications/notify';
import { recordBreaches } from './breaches';
import { ladderInputOf, loadClock, lockException, type ClockContext } from './clock';
import { escalationPlan, type LadderStep, type Level } from './ladder';
import { recipientsFor } from './recipients';
import { firedLevels, setEscalationTimer, nextEscalationAt } from './schedule';

// What the escalation timer does when it runs: under the exception's row lock, fire every level
// whose due time has come and that has not fired in this cycle, then set the timer for the next
// one. The unique (exception, cycle, level) row is what makes a level fire once: a job run twice,
// a worker restarted mid-way or two workers racing find it there and do nothing. A job for an
// exception that was acknowledged, paused, resolved or re-timed finds nothing due and only
// re-sets the timer.

const log = logger('escalation');

export interface EscalationOutcome {
  fired: Level[];
  nextAt: Date | null;
}

export async function runEscalation(
  db: Db,
  exceptionId: string,
  now: Date = new Date(),
): Promise<EscalationOutcome> {
  return db.$transaction(async (tx) => {
    await lockException(tx, exceptionId);
    const ctx = await loadClock(tx, exceptionId);
    if (!ctx) return { fired: [], nextAt: null };
    const cycle = ctx.exception.reworkCount;
    const fired = await firedLevels(tx, exceptionId, cycle);
    const plan = escalationPlan(ctx.calendar.spec, ladderInputOf(ctx), fired, now);
    const firedNow: Level[] = [];
    for (const step of plan.due) {
      if (await fireLevel(tx, ctx, step, now)) {
        firedNow.push(step.level);
        fired.add(step.level);
      }
    }
    const nextAt = nextEscalationAt(ctx, fired, now);
    await setEscalationTimer(tx, exceptionId, nextAt);
    if (firedNow.length > 0) log.info({ exceptionId, levels: firedNow }, 'escalated');

    return { fired: firedNow, nextAt };
  });
}

async function fireLevel(tx: Tx, ctx: ClockContext, step: LadderStep, now: Date) {
  const e = ctx.exception;
  const cycle = e.reworkCount;
  const recipients = await recipientsFor(tx, { ...e, siteId: e.siteId! }, step.level);
  const inserted = await tx.exceptionEscalation.createManyAndReturn({
    data: [
      { exceptionId: e.id, cycle, level: step.level, dueAt: step.dueAt, recipientIds: recipients },
    ],
    skipDuplicates: true,
    select: { id: true },
  });
  if (inserted.length === 0) return false;
  if (step.breach) {
    await recordBreaches(tx, [{ exceptionId: e.id, cycle, kind: step.breach, dueAt: step.dueAt }]);
  }
  await notify(
    tx,
    recipients.map((userId) => ({
      kind: 'EXCEPTION_ESCALATED' as const,
      userId,
      exceptionId: e.id,
      cycle,
      level: step.level,
      title: `Escalated (level ${step.level}): ${e.title}`,
      body: escalationBody(ctx, step),
      link: `/exceptions/${e.id}`,
    })),
  );
  await tx.exception.update({
    where: { id: e.id },
    data: { escalationLevel: Math.max(e.escalationLevel, step.level), escalatedAt: now },
  });
  e.escalationLevel = Math.max(e.escalationLevel, step.level);
  if (recipients.length === 0)
    log.warn({ exceptionId: e.id, level: step.level }, 'nobody at level');
  await writeAudit(tx, {
    entityType: 'Exception',
    entityId: e.id,
    action: 'exception.escalated',
    actor: { type: 'SYSTEM', id: null },
    data: { level: step.level, cycle, dueAt: step.dueAt, breach: step.breach, recipients },
  });

  return true;
}

const REASON: Record<Level, string> = {
  1: 'its first response is due and nobody has acknowledged it',
  2: 'its resolution is due',
  3: 'it is past its resolution time by one escalation step',
  4: 'it is past its resolution time by two escalation steps',
};

function escalationBody(ctx: ClockContext, step: LadderStep): string {
  const e = ctx.exception;
  const due = step.dueAt.toLocaleString('en-US', {
    timeZone: ctx.calendar.spec.timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  });

  return `${e.type} (${e.severity}) reached you because ${REASON[step.level]} (due ${due}, ${ctx.calendar.spec.timeZone}).`;
}
