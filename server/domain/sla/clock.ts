import type { Tx } from '../../db/client';
import type { ExceptionType, Severity } from '../../db/generated/enums';
import { loadSiteCalendar, type SiteCalendar } from './calendar';
import type { LadderInput } from './ladder';
import { dueTimes, targetsOf, type SlaTargets } from './targets';

// An exception's SLA clock: its site's calendar, its policy's targets and the timestamps the
// due times follow from. Services load it, call the pure rules, and write what they return.

const CLOCK_SELECT = {
  id: true,
  type: true,
  title: true,
  status: true,
  severity: true,
  siteId: true,
  teamId: true,
  assigneeId: true,
  reworkCount: true,
  escalationLevel: true,
  openedAt: true,
  acknowledgedAt: true,
  waitingSince: true,
  resolvedAt: true,
  slaStartedAt: true,
  pausedMinutes: true,
  firstResponseDueAt: true,
  resolutionDueAt: true,
  slaPolicy: {
    select: {
      firstResponseValue: true,
      firstResponseUnit: true,
      resolutionValue: true,
      resolutionUnit: true,
      escalationStepMinutes: true,
    },
  },
} as const;

export type ClockRow = NonNullable<Awaited<ReturnType<typeof findClockRow>>>;

export interface ClockContext {
  exception: ClockRow;
  calendar: SiteCalendar;
  targets: SlaTargets;
}

export function findClockRow(tx: Tx, exceptionId: string) {
  return tx.exception.findUnique({ where: { id: exceptionId }, select: CLOCK_SELECT });
}

type PolicyColumns = NonNullable<ClockRow['slaPolicy']>;

/**
 * The clock rows of many exceptions, as findClockRow reads one, in one statement: a sweep reads
 * a thousand, where the client's own mapping of each row costs more than the query.
 */
export async function findClockRows(tx: Tx, exceptionIds: readonly string[]): Promise<ClockRow[]> {
  if (exceptionIds.length === 0) return [];
  const rows = await tx.$queryRaw<(Omit<ClockRow, 'slaPolicy'> & Partial<PolicyColumns>)[]>`
    SELECT e.id, e.type::text, e.title, e.status::text, e.severity::text, e.site_id AS "siteId",
      e.team_id AS "teamId", e.assignee_id AS "assigneeId", e.rework_count AS "reworkCount",
      e.escalation_level AS "escalationLevel", e.opened_at AS "openedAt",
      e.acknowledged_at AS "acknowledgedAt", e.waiting_since AS "waitingSince",
      e.resolved_at AS "resolvedAt", e.sla_started_at AS "slaStartedAt",
      e.paused_business_minutes AS "pausedMinutes", e.first_response_due_at AS "firstResponseDueAt",
      e.resolution_due_at AS "resolutionDueAt", p.first_response_value AS "firstResponseValue",
      p.first_response_unit::text AS "firstResponseUnit", p.resolution_value AS "resolutionValue",
      p.resolution_unit::text AS "resolutionUnit",
      p.escalation_step_minutes AS "escalationStepMinutes"
    FROM exceptions AS e LEFT JOIN sla_policies AS p ON p.id = e.sla_policy_id
    WHERE e.id = ANY(${[...exceptionIds]}::uuid[])`;

  return rows.map((r) => {
    const {
      firstResponseValue,
      firstResponseUnit,
      resolutionValue,
      resolutionUnit,
      escalationStepMinutes,
      ...exception
    } = r;
    const slaPolicy =
      firstResponseValue == null
        ? null
        : {
            firstResponseValue,
            firstResponseUnit: firstResponseUnit!,
            resolutionValue: resolutionValue!,
            resolutionUnit: resolutionUnit!,
            escalationStepMinutes: escalationStepMinutes!,
          };

    return { ...exception, slaPolicy };
  });
}

export function clockOf(exception: ClockRow, calendar: SiteCalendar): ClockContext {
  return { exception, calendar, targets: targetsOf(exception.slaPolicy, exception.severity) };
}

/** Null when the exception does not exist or has no site (then nothing times it). */
export async function loadClock(
  tx: Tx,
  exceptionId: string,
  calendar?: SiteCalendar,
): Promise<ClockContext | null> {
  const exception = await findClockRow(tx, exceptionId);
  if (!exception?.siteId) return null;

  return clockOf(exception, calendar ?? (await loadSiteCalendar(tx, exception.siteId)));
}

/** Locks the exception's row until commit, so that a timer and a person cannot interleave. */
export async function lockException(tx: Tx, exceptionId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM exceptions WHERE id = ${exceptionId}::uuid FOR UPDATE`;
}

/** The due times from the clock's start and pauses, in the calendar as it is now. */
export function recomputedDueTimes(ctx: ClockContext) {
  const e = ctx.exception;

  return dueTimes(
    ctx.calendar.spec,
    { startedAt: e.slaStartedAt ?? e.openedAt, pausedMinutes: e.pausedMinutes },
    ctx.targets,
  );
}

export function ladderInputOf(ctx: ClockContext): LadderInput {
  return {
    status: ctx.exception.status,
    firstResponseDueAt: ctx.exception.firstResponseDueAt,
    resolutionDueAt: ctx.exception.resolutionDueAt,
    stepMinutes: ctx.targets.stepMinutes,
  };
}

/**
 * The active policy for the type and severity: the customer's own first, then the general one.
 * Null when none matches (the severity's default targets apply).
 */
export async function pickSlaPolicy(
  tx: Tx,
  match: { type: ExceptionType; severity: Severity; customerId: string | null },
) {
  return tx.slaPolicy.findFirst({
    where: {
      exceptionType: match.type,
      severity: match.severity,
      active: true,
      OR: [{ customerId: null }, ...(match.customerId ? [{ customerId: match.customerId }] : [])],
    },
    orderBy: [{ customerId: { sort: 'asc', nulls: 'last' } }, { createdAt: 'desc' }],
    select: {
      id: true,
      firstResponseValue: true,
      firstResponseUnit: true,
      resolutionValue: true,
      resolutionUnit: true,
      escalationStepMinutes: true,
    },
  });
}
