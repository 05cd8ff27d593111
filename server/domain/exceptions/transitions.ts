import type { Db, Tx } from '../../db/client';
import type { ExceptionStatus } from '../../db/generated/enums';
import { businessMinutesBetween } from '../../lib/business-time';
import { AppError } from '../../lib/errors';
import { writeAudit } from '../audit/write-audit';
import { lateMilestone, recordBreaches, type Breach } from '../sla/breaches';
import { loadSiteCalendar } from '../sla/calendar';
import {
  clockOf,
  findClockRow,
  lockException,
  recomputedDueTimes,
  type ClockContext,
  type ClockRow,
} from '../sla/clock';
import { rescheduleEscalation } from '../sla/schedule';
import { assertCanAct } from './exception-access';
import { nextStatus, type ExceptionAction } from './status-machine';

// The status changes people (and rules) make, each in one transaction with its audit row and
// its timer: acknowledging drops the first-response level, waiting pauses the clock and cancels
// the timer, resuming pushes the due times by the business minutes spent waiting, resolving
// and closing end the ladder, reopening counts rework and restarts the clocks and the ladder.

export type ExceptionActor =
  { type: 'USER'; userId: string; requestId?: string | null } | { type: 'SYSTEM' };

export interface TransitionInput {
  exceptionId: string;
  actor: ExceptionActor;
  now?: Date;
}

type ClockFields =
  | 'acknowledgedAt'
  | 'waitingSince'
  | 'resolvedAt'
  | 'slaStartedAt'
  | 'pausedMinutes'
  | 'firstResponseDueAt'
  | 'resolutionDueAt'
  | 'reworkCount'
  | 'escalationLevel';

interface ChangeData extends Partial<Pick<ClockRow, ClockFields>> {
  reopenedAt?: Date;
  closedAt?: Date | null;
  escalatedAt?: Date | null;
  resolutionCode?: string | null;
  resolutionNote?: string | null;
}

interface Change {
  data: ChangeData;
  breaches?: Breach[];
  audit?: Record<string, unknown>;
}

type Plan = (row: ClockRow, ctx: ClockContext | null, now: Date) => Change;

export interface TransitionResult {
  id: string;
  status: ExceptionStatus;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  nextEscalationAt: Date | null;
  reworkCount: number;
}

async function transition(
  db: Db,
  input: TransitionInput,
  action: ExceptionAction,
  plan: Plan,
): Promise<TransitionResult> {
  return db.$transaction(async (tx) => {
    await lockException(tx, input.exceptionId);
    // Read once the lock is held: a change that waited for a timer's firing comes after it.
    const now = input.now ?? new Date();
    const row = await findClockRow(tx, input.exceptionId);
    if (!row) throw new AppError('NOT_FOUND', `No exception ${input.exceptionId}`);
    if (input.actor.type === 'USER') await assertCanAct(tx, input.actor.userId, row.id);
    const status = nextStatus(row.status, action);
    const ctx = row.siteId ? clockOf(row, await loadSiteCalendar(tx, row.siteId)) : null;
    const change = plan(row, ctx, now);
    const data = { ...change.data, status };
    await tx.exception.update({ where: { id: row.id }, data });
    await recordBreaches(tx, change.breaches ?? []);
    const after = { ...row, ...data } as ClockRow;
    const nextAt = ctx ? await rescheduleEscalation(tx, clockOf(after, ctx.calendar), now) : null;
    await audit(tx, input.actor, row, action, { from: row.status, to: status, ...change.audit });

    return {
      id: row.id,
      status,
      firstResponseDueAt: after.firstResponseDueAt,
      resolutionDueAt: after.resolutionDueAt,
      nextEscalationAt: nextAt,
      reworkCount: after.reworkCount,
    };
  });
}

const ACTION_NAMES: Record<ExceptionAction, string> = {
  acknowledge: 'exception.acknowledged',
  wait: 'exception.waiting',
  resume: 'exception.resumed',
  resolve: 'exception.resolved',
  close: 'exception.closed',
  reopen: 'exception.reopened',
};

async function audit(
  tx: Tx,
  actor: ExceptionActor,
  row: ClockRow,
  action: ExceptionAction,
  data: Record<string, unknown>,
) {
  await writeAudit(tx, {
    entityType: 'Exception',
    entityId: row.id,
    action: ACTION_NAMES[action],
    actor:
      actor.type === 'USER' ? { type: 'USER', id: actor.userId } : { type: 'SYSTEM', id: null },
    requestId: actor.type === 'USER' ? (actor.requestId ?? null) : null,
    data,
  });
}

function required(value: string, name: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw new AppError('BAD_REQUEST', `${name} is required`);

  return trimmed;
}

/** The first response: the assignee has seen it. Late after its due time is a breach. */
export async function acknowledgeException(db: Db, input: TransitionInput) {
  return transition(db, input, 'acknowledge', (row, _ctx, now) => ({
    data: { acknowledgedAt: now },
    breaches: lateMilestone(row, 'FIRST_RESPONSE', row.firstResponseDueAt, now),
  }));
}

/** Waiting on someone outside the team: the clock stops and the timer is cancelled. */
export async function waitOnException(db: Db, input: TransitionInput & { reason: string }) {
  const reason = required(input.reason, 'A reason to wait');

  return transition(db, input, 'wait', (row, _ctx, now) => ({
    // Saying what it waits on is a response.
    data: { waitingSince: now, acknowledgedAt: row.acknowledgedAt ?? now },
    breaches: row.acknowledgedAt
      ? []
      : lateMilestone(row, 'FIRST_RESPONSE', row.firstResponseDueAt, now),
    audit: { reason },
  }));
}

/** Back from waiting: the due times move by the business minutes the clock stood still. */
export async function resumeException(db: Db, input: TransitionInput) {
  return transition(db, input, 'resume', (row, ctx, now) => {
    const since = row.waitingSince ?? now;
    const paused = ctx ? Math.round(businessMinutesBetween(ctx.calendar.spec, since, now)) : 0;
    const pausedMinutes = row.pausedMinutes + Math.max(0, paused);
    const due = ctx ? recomputedDueTimes(clockOf({ ...row, pausedMinutes }, ctx.calendar)) : {};

    return {
      data: { waitingSince: null, pausedMinutes, ...due },
      audit: { pausedMinutes: paused },
    };
  });
}

export async function resolveException(
  db: Db,
  input: TransitionInput & { resolutionCode: string; note: string },
) {
  const resolutionCode = required(input.resolutionCode, 'A resolution code');
  const note = required(input.note, 'A resolution note');

  return transition(db, input, 'resolve', (row, _ctx, now) => ({
    data: { resolvedAt: now, resolutionCode, resolutionNote: note, waitingSince: null },
    // While waiting the clock stands still: what counts is when it stopped.
    breaches: lateMilestone(row, 'RESOLUTION', row.resolutionDueAt, row.waitingSince ?? now),
    audit: { resolutionCode, note },
  }));
}

export async function closeException(db: Db, input: TransitionInput) {
  return transition(db, input, 'close', (_row, _ctx, now) => ({ data: { closedAt: now } }));
}

/** Rework: the clocks and the ladder start again from now, as a new cycle. */
export async function reopenException(db: Db, input: TransitionInput & { reason: string }) {
  const reason = required(input.reason, 'A reason to reopen');

  return transition(db, input, 'reopen', (row, ctx, now) => {
    const restarted = { slaStartedAt: now, pausedMinutes: 0 };
    const due = ctx ? recomputedDueTimes(clockOf({ ...row, ...restarted }, ctx.calendar)) : {};

    return {
      data: {
        ...restarted,
        ...due,
        reworkCount: row.reworkCount + 1,
        reopenedAt: now,
        acknowledgedAt: null,
        resolvedAt: null,
        closedAt: null,
        resolutionCode: null,
        resolutionNote: null,
        escalationLevel: 0,
        escalatedAt: null,
      },
      audit: { reason, reworkCount: row.reworkCount + 1 },
    };
  });
}
