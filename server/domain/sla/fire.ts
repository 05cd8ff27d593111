import type { Tx } from '../../db/client';
import { logger } from '../../lib/logger';
import { writeAudits } from '../audit/write-audit';
import { notify } from '../notifications/notify';
import { recordBreaches } from './breaches';
import {
  calendarFingerprint,
  loadSiteCalendars,
  type CalendarWatch,
  type SiteCalendar,
} from './calendar';
import {
  clockOf,
  findClockRows,
  ladderInputOf,
  recomputedDueTimes,
  type ClockContext,
} from './clock';
import { ladderSteps, planOf, type LadderStep, type Level } from './ladder';
import { recipientsForMany } from './recipients';
import { setTimers, timerOf } from './schedule';

// What firing does, for many exceptions in one transaction and a fixed number of statements:
// every ladder level due by `now` that has not fired in the exception's cycle fires once, to its
// people (an inbox row each with its derived id, and its e-mail job), with its breach, its audit
// entry on the exception's chain and the exception's level; then each exception's timer is set
// for its next level. The caller holds the exceptions' row locks. The unique (exception, cycle,
// level) row is what makes a level fire once: a repeat finds it and does nothing more.
// Every row is stamped with `now`, not the transaction's start, so that a sweep that prepares
// its firing ahead of the due moment (sweep.ts) records it at that moment; the audit entries,
// which take their time from the clock, are written last, once `atDueMoment` has returned.
// Such a sweep fires by the calendars in force at the moment: once it has come, the calendars
// the firing was planned with are read again, and a change committed meanwhile rolls it back
// (CalendarChanged); the sweep's next claim then plans with the new calendar, and times its
// exceptions by it (their stored due times follow the old one until recalculateForCalendar has
// moved them, which waits for the lock).

const log = logger('escalation');

export interface FireOutcome {
  fired: Level[];
  nextAt: Date | null;
}

interface Planned {
  ctx: ClockContext;
  step: LadderStep;
}

type Fired = Planned & { recipients: string[] };

export interface FireOptions {
  /** Awaited before the audit entries are written: the caller's wait for the due moment. */
  atDueMoment?: () => Promise<void>;
  /**
   * The sweep's memory of its calendars: exceptions at a site whose calendar changed during the
   * sweep are timed by the calendar as it is now; and, after `atDueMoment`, a calendar that
   * differs from the one the firing was planned with throws CalendarChanged.
   */
  calendars?: CalendarWatch;
}

/** A calendar the firing was planned with changed before its moment: roll the firing back. */
export class CalendarChanged extends Error {
  constructor(readonly siteIds: readonly string[]) {
    super(`calendar changed before the due moment at ${siteIds.length} site(s)`);
  }
}

export async function fireDueLevels(
  tx: Tx,
  exceptionIds: readonly string[],
  now: Date,
  opts: FireOptions = {},
): Promise<Map<string, FireOutcome>> {
  const rows = await findClockRows(tx, exceptionIds);
  const siteIds = [...new Set(rows.flatMap((r) => (r.siteId ? [r.siteId] : [])))];
  const calendars = await loadSiteCalendars(tx, siteIds);
  const changed = opts.calendars?.see(calendars) ?? new Set<string>();
  const contexts = await retimed(
    tx,
    rows.flatMap((r) => (r.siteId ? [clockOf(r, calendars.get(r.siteId)!)] : [])),
    changed,
  );
  const fired = await firedLevelsOf(tx, contexts);
  const steps = stepsOf(contexts);
  const planned = contexts.flatMap((ctx) =>
    planOf(steps.get(ctx.exception.id)!, fired.get(ctx.exception.id)!, now).due.map((step) => ({
      ctx,
      step,
    })),
  );
  const firedNow = await fire(tx, planned, now);

  const outcomes = new Map<string, FireOutcome>(
    rows.map((r) => [r.id, { fired: [], nextAt: null }]),
  );
  const top = new Map<string, number>();
  for (const { ctx, step } of firedNow) {
    const id = ctx.exception.id;
    outcomes.get(id)!.fired.push(step.level);
    fired.get(id)!.add(step.level);
    top.set(id, Math.max(top.get(id) ?? 0, step.level));
  }
  const byId = new Map(contexts.map((c) => [c.exception.id, c]));
  const settings = rows.map((r) => {
    const ctx = byId.get(r.id);
    const next = ctx ? timerOf(planOf(steps.get(r.id)!, fired.get(r.id)!, now), now) : null;
    outcomes.get(r.id)!.nextAt = next?.dueAt ?? null;

    return { exceptionId: r.id, cycle: r.reworkCount, next };
  });
  await writeExceptions(tx, settings, top, now);
  await setTimers(tx, settings, { exceptionsWritten: true, at: now });
  await opts.atDueMoment?.();
  if (opts.calendars) await assertCalendarsAsPlanned(tx, calendars, opts.calendars);
  await auditFirings(tx, firedNow);

  return outcomes;
}

/**
 * The exceptions at sites whose calendar changed during the sweep, with their due times
 * recomputed by the calendar as it is now and written, as recalculateForCalendar writes them.
 */
async function retimed(
  tx: Tx,
  contexts: ClockContext[],
  changedSites: ReadonlySet<string>,
): Promise<ClockContext[]> {
  if (changedSites.size === 0) return contexts;
  const writes: { id: string; first_at: Date; resolution_at: Date }[] = [];
  const out = contexts.map((ctx) => {
    if (!changedSites.has(ctx.exception.siteId!)) return ctx;
    const due = recomputedDueTimes(ctx);
    writes.push({
      id: ctx.exception.id,
      first_at: due.firstResponseDueAt,
      resolution_at: due.resolutionDueAt,
    });

    return { ...ctx, exception: { ...ctx.exception, ...due } };
  });
  if (writes.length > 0) {
    await tx.$executeRaw`
      UPDATE exceptions AS e
      SET first_response_due_at = r.first_at, resolution_due_at = r.resolution_at
      FROM json_to_recordset(${JSON.stringify(writes)}::json)
        AS r(id uuid, first_at timestamptz, resolution_at timestamptz)
      WHERE e.id = r.id`;
  }

  return out;
}

/** Reads the calendars again; throws CalendarChanged if one differs from what was planned with. */
async function assertCalendarsAsPlanned(
  tx: Tx,
  planned: ReadonlyMap<string, SiteCalendar>,
  watch: CalendarWatch,
) {
  if (planned.size === 0) return;
  const now = await loadSiteCalendars(tx, [...planned.keys()]);
  watch.see(now);
  const changed = [...planned].flatMap(([siteId, calendar]) => {
    const current = now.get(siteId);

    return current && calendarFingerprint(current) === calendarFingerprint(calendar)
      ? []
      : [siteId];
  });
  if (changed.length > 0) throw new CalendarChanged(changed);
}

/**
 * Each exception's ladder, worked out once; exceptions with the same calendar and due times (a
 * burst opened together) share one, as working out a ladder is business-time arithmetic.
 */
function stepsOf(contexts: readonly ClockContext[]): Map<string, LadderStep[]> {
  const memo = new Map<string, LadderStep[]>();

  return new Map(
    contexts.map((ctx) => {
      const input = ladderInputOf(ctx);
      const key = [
        ctx.calendar.calendarId,
        input.status,
        input.firstResponseDueAt?.getTime(),
        input.resolutionDueAt?.getTime(),
        input.stepMinutes,
      ].join('|');
      let steps = memo.get(key);
      if (!steps) {
        steps = ladderSteps(ctx.calendar.spec, input);
        memo.set(key, steps);
      }

      return [ctx.exception.id, steps];
    }),
  );
}

/** The levels fired so far in each exception's current cycle. */
async function firedLevelsOf(tx: Tx, contexts: readonly ClockContext[]) {
  const sets = new Map(contexts.map((c) => [c.exception.id, new Set<number>()]));
  if (contexts.length === 0) return sets;
  const cycles = new Map(contexts.map((c) => [c.exception.id, c.exception.reworkCount]));
  const rows = await tx.$queryRaw<{ exceptionId: string; cycle: number; level: number }[]>`
    SELECT exception_id AS "exceptionId", cycle, level::int AS level FROM exception_escalations
    WHERE exception_id = ANY(${[...sets.keys()]}::uuid[])`;
  for (const r of rows) {
    if (cycles.get(r.exceptionId) === r.cycle) sets.get(r.exceptionId)!.add(r.level);
  }

  return sets;
}

/** Fires the planned levels; returns those that fired now (not fired before). */
async function fire(tx: Tx, planned: readonly Planned[], now: Date): Promise<Fired[]> {
  if (planned.length === 0) return [];
  const recipients = await recipientsForMany(
    tx,
    planned.map(({ ctx, step }) => ({
      siteId: ctx.exception.siteId!,
      teamId: ctx.exception.teamId,
      assigneeId: ctx.exception.assigneeId,
      level: step.level,
    })),
  );
  const rows = planned.map(({ ctx, step }, i) => ({
    exception_id: ctx.exception.id,
    cycle: ctx.exception.reworkCount,
    level: step.level,
    due_at: step.dueAt,
    recipient_ids: recipients[i]!,
  }));
  const inserted = await tx.$queryRaw<{ exceptionId: string; level: number }[]>`
    INSERT INTO exception_escalations
      (id, exception_id, cycle, level, due_at, recipient_ids, fired_at)
    SELECT gen_random_uuid(), r.exception_id, r.cycle, r.level, r.due_at, r.recipient_ids,
      ${now.toISOString()}::timestamptz
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS r(
      exception_id uuid, cycle int, level smallint, due_at timestamptz, recipient_ids uuid[])
    ON CONFLICT (exception_id, cycle, level) DO NOTHING
    RETURNING exception_id AS "exceptionId", level::int AS level`;
  const isNew = new Set(inserted.map((r) => `${r.exceptionId}:${r.level}`));
  const firedNow = planned
    .map((p, i) => ({ ...p, recipients: recipients[i]! }))
    .filter(({ ctx, step }) => isNew.has(`${ctx.exception.id}:${step.level}`));
  if (firedNow.length === 0) return [];

  await recordBreaches(
    tx,
    firedNow.flatMap(({ ctx, step }) =>
      step.breach
        ? [
            {
              exceptionId: ctx.exception.id,
              cycle: ctx.exception.reworkCount,
              kind: step.breach,
              dueAt: step.dueAt,
            },
          ]
        : [],
    ),
    now,
  );
  await notify(
    tx,
    firedNow.flatMap(({ ctx, step, recipients: users }) =>
      users.map((userId) => ({
        kind: 'EXCEPTION_ESCALATED' as const,
        userId,
        exceptionId: ctx.exception.id,
        cycle: ctx.exception.reworkCount,
        level: step.level,
        title: `Escalated (level ${step.level}): ${ctx.exception.title}`,
        body: escalationBody(ctx, step),
        link: `/exceptions/${ctx.exception.id}`,
      })),
    ),
    { at: now },
  );

  return firedNow;
}

/** The audit entry of each level fired, on its exception's chain; logs the levels nobody heard. */
async function auditFirings(tx: Tx, firedNow: readonly Fired[]) {
  if (firedNow.length === 0) return;
  await writeAudits(
    tx,
    firedNow.map(({ ctx, step, recipients: users }) => ({
      entityType: 'Exception',
      entityId: ctx.exception.id,
      action: 'exception.escalated',
      actor: { type: 'SYSTEM' as const, id: null },
      data: {
        level: step.level,
        cycle: ctx.exception.reworkCount,
        dueAt: step.dueAt,
        breach: step.breach,
        recipients: users,
      },
    })),
  );
  const nobody = firedNow.filter((f) => f.recipients.length === 0);
  if (nobody.length > 0) {
    log.warn(
      { levels: nobody.slice(0, 20).map((f) => [f.ctx.exception.id, f.step.level]) },
      `${nobody.length} level(s) fired with nobody to tell`,
    );
  }
  log.info(
    { exceptions: new Set(firedNow.map((f) => f.ctx.exception.id)).size, levels: firedNow.length },
    'escalated',
  );
}

/**
 * One write of the exceptions: the next escalation moment of each and, for those that fired,
 * the highest level reached and when. An exception with nothing new is left as it is (a sweep
 * that claimed it just after another fired it).
 */
async function writeExceptions(
  tx: Tx,
  settings: readonly { exceptionId: string; next: { dueAt: Date } | null }[],
  top: ReadonlyMap<string, number>,
  now: Date,
) {
  const rows = settings.map((s) => ({
    id: s.exceptionId,
    next_at: s.next?.dueAt ?? null,
    level: top.get(s.exceptionId) ?? null,
  }));
  await tx.$executeRaw`
    UPDATE exceptions AS e
    SET next_escalation_at = r.next_at,
        escalation_level = GREATEST(e.escalation_level, coalesce(r.level, 0)),
        escalated_at = CASE WHEN r.level IS NULL THEN e.escalated_at
                            ELSE ${now.toISOString()}::timestamptz END,
        updated_at = ${now.toISOString()}::timestamptz
    FROM json_to_recordset(${JSON.stringify(rows)}::json)
      AS r(id uuid, next_at timestamptz, level int)
    WHERE e.id = r.id
      AND (r.level IS NOT NULL OR e.next_escalation_at IS DISTINCT FROM r.next_at)`;
}

const REASON: Record<Level, string> = {
  1: 'its first response is due and nobody has acknowledged it',
  2: 'its resolution is due',
  3: 'it is past its resolution time by one escalation step',
  4: 'it is past its resolution time by two escalation steps',
};

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    formats.set(timeZone, format);
  }

  return format;
}

function escalationBody(ctx: ClockContext, step: LadderStep): string {
  const e = ctx.exception;
  const zone = ctx.calendar.spec.timeZone;
  const due = formatIn(zone).format(step.dueAt);

  return `${e.type} (${e.severity}) reached you because ${REASON[step.level]} (due ${due}, ${zone}).`;
}
