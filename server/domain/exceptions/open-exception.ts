import type { Tx } from '../../db/client';
import type { ExceptionType, Severity, TeamKind } from '../../db/generated/enums';
import type { Prisma } from '../../db/generated/client';
import { writeAudit } from '../audit/write-audit';
import { notify } from '../notifications/notify';
import { lateMilestone, recordBreaches } from '../sla/breaches';
import { planClock, type PlannedClock } from '../sla/start-clock';
import { cancelEscalationTimers, setTimers } from '../sla/schedule';
import { pickAssignee } from './assignment';
import { owningSiteId } from './owning-site';
import { ACTIVE_STATUSES } from './status-machine';

// Exceptions are what reach people. Rules open them by a dedupe key (one open exception per
// problem, e.g. "shipment:<id>:QUANTITY_VARIANCE") and resolve them by the same key when a later
// fact makes the problem go away; history is kept. Opening one starts its SLA clock in the
// owning site's business calendar, assigns it within the owning team and sets its escalation
// timer, all in the caller's transaction.

export interface OpenExceptionInput {
  type: ExceptionType;
  severity?: Severity;
  ownerTeam: TeamKind;
  siteId: string | null;
  shipmentId?: string | null;
  eventId?: string | null;
  dedupeKey: string;
  title: string;
  detail?: Prisma.InputJsonValue;
}

export interface OpenExceptionOptions {
  /** The opening moment; tests and replays set it, everything else takes the clock's. */
  now?: Date;
}

/** Opens the exception, or refreshes the one already open under the same key. */
export async function openException(
  tx: Tx,
  input: OpenExceptionInput,
  options: OpenExceptionOptions = {},
): Promise<{ id: string; created: boolean }> {
  const existing = await tx.exception.findFirst({
    where: { dedupeKey: input.dedupeKey, status: { in: [...ACTIVE_STATUSES] } },
    select: { id: true },
  });
  if (existing) {
    await tx.exception.update({
      where: { id: existing.id },
      data: { title: input.title, detail: input.detail },
    });

    return { id: existing.id, created: false };
  }

  return { id: await createTimed(tx, input, options.now ?? new Date()), created: true };
}

/** A new exception with its owner, clock, assignee and timer. */
async function createTimed(tx: Tx, input: OpenExceptionInput, now: Date): Promise<string> {
  const severity = input.severity ?? 'MEDIUM';
  const siteId = await owningSiteId(tx, input);
  const team = siteId
    ? await tx.team.findUnique({
        where: { siteId_kind: { siteId, kind: input.ownerTeam } },
        select: { id: true },
      })
    : null;
  const clock = siteId
    ? await planClock(tx, { ...input, severity, siteId, shipmentId: input.shipmentId ?? null }, now)
    : null;
  const assigneeId = team && clock ? await pickAssignee(tx, team.id, clock.calendar, now) : null;
  const created = await tx.exception.create({
    data: {
      ...rowOf(input, severity, clock, now),
      siteId,
      teamId: team?.id ?? null,
      assigneeId,
      assignedAt: assigneeId ? now : null,
    },
    select: { id: true },
  });
  if (clock?.nextTimer) {
    // The row was created with its next_escalation_at.
    await setTimers(tx, [{ exceptionId: created.id, cycle: 0, next: clock.nextTimer }], {
      exceptionsWritten: true,
    });
  }
  if (assigneeId) await notifyAssignee(tx, created.id, assigneeId, input.title);
  await writeAudit(tx, {
    entityType: 'Exception',
    entityId: created.id,
    action: 'exception.opened',
    actor: { type: 'SYSTEM', id: null },
    data: {
      type: input.type,
      dedupeKey: input.dedupeKey,
      shipmentId: input.shipmentId ?? null,
      siteId,
      assigneeId,
      slaPolicyId: clock?.policyId ?? null,
      firstResponseDueAt: clock?.firstResponseDueAt ?? null,
      resolutionDueAt: clock?.resolutionDueAt ?? null,
    },
  });

  return created.id;
}

function rowOf(
  input: OpenExceptionInput,
  severity: Severity,
  clock: PlannedClock | null,
  now: Date,
) {
  return {
    type: input.type,
    severity,
    ownerTeam: input.ownerTeam,
    shipmentId: input.shipmentId ?? null,
    eventId: input.eventId ?? null,
    dedupeKey: input.dedupeKey,
    title: input.title,
    detail: input.detail,
    openedAt: now,
    slaStartedAt: clock ? now : null,
    slaPolicyId: clock?.policyId ?? null,
    firstResponseDueAt: clock?.firstResponseDueAt ?? null,
    resolutionDueAt: clock?.resolutionDueAt ?? null,
    nextEscalationAt: clock?.nextEscalationAt ?? null,
  };
}

async function notifyAssignee(tx: Tx, exceptionId: string, userId: string, title: string) {
  await notify(tx, [
    {
      kind: 'EXCEPTION_ASSIGNED',
      userId,
      exceptionId,
      title: `Assigned to you: ${title}`,
      body: 'A new exception was assigned to you.',
      link: `/exceptions/${exceptionId}`,
    },
  ]);
}

/** Resolves what is open under these keys because a later fact removed the problem. */
export async function resolveByFacts(tx: Tx, dedupeKeys: string[], note: string): Promise<number> {
  if (dedupeKeys.length === 0) return 0;
  const open = await tx.exception.findMany({
    where: { dedupeKey: { in: dedupeKeys }, status: { in: [...ACTIVE_STATUSES] } },
    select: { id: true, reworkCount: true, resolutionDueAt: true },
  });
  if (open.length === 0) return 0;
  const now = new Date();
  await tx.exception.updateMany({
    where: { id: { in: open.map((e) => e.id) } },
    data: {
      status: 'RESOLVED',
      resolvedAt: now,
      waitingSince: null,
      resolutionCode: 'RESOLVED_BY_FACTS',
      resolutionNote: note,
      nextEscalationAt: null,
    },
  });
  await cancelEscalationTimers(
    tx,
    open.map((e) => e.id),
  );
  await recordBreaches(
    tx,
    open.flatMap((e) => lateMilestone(e, 'RESOLUTION', e.resolutionDueAt, now)),
  );
  for (const { id } of open) {
    await writeAudit(tx, {
      entityType: 'Exception',
      entityId: id,
      action: 'exception.resolved',
      actor: { type: 'SYSTEM', id: null },
      data: { resolutionCode: 'RESOLVED_BY_FACTS', note },
    });
  }

  return open.length;
}
