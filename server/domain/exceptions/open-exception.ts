import type { Tx } from '../../db/client';
import type { ExceptionType, Severity, TeamKind } from '../../db/generated/enums';
import type { Prisma } from '../../db/generated/client';
import { writeAudit } from '../audit/write-audit';

// Exceptions are what reach people. Rules open them by a dedupe key (one open exception per
// problem, e.g. "shipment:<id>:QUANTITY_VARIANCE") and resolve them by the same key when a later
// fact makes the problem go away; history is kept. SLA clocks and escalation are set by the
// exceptions domain's own services from the type and severity.

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

const ACTIVE = ['OPEN', 'ACKNOWLEDGED', 'WAITING'] as const;

/** Opens the exception, or refreshes the one already open under the same key. */
export async function openException(
  tx: Tx,
  input: OpenExceptionInput,
): Promise<{ id: string; created: boolean }> {
  const existing = await tx.exception.findFirst({
    where: { dedupeKey: input.dedupeKey, status: { in: [...ACTIVE] } },
    select: { id: true },
  });
  if (existing) {
    await tx.exception.update({
      where: { id: existing.id },
      data: { title: input.title, detail: input.detail },
    });

    return { id: existing.id, created: false };
  }
  const team = input.siteId
    ? await tx.team.findUnique({
        where: { siteId_kind: { siteId: input.siteId, kind: input.ownerTeam } },
        select: { id: true },
      })
    : null;
  const created = await tx.exception.create({
    data: {
      type: input.type,
      severity: input.severity ?? 'MEDIUM',
      ownerTeam: input.ownerTeam,
      siteId: input.siteId,
      teamId: team?.id ?? null,
      shipmentId: input.shipmentId ?? null,
      eventId: input.eventId ?? null,
      dedupeKey: input.dedupeKey,
      title: input.title,
      detail: input.detail,
    },
    select: { id: true },
  });
  await writeAudit(tx, {
    entityType: 'Exception',
    entityId: created.id,
    action: 'exception.opened',
    actor: { type: 'SYSTEM', id: null },
    data: { type: input.type, dedupeKey: input.dedupeKey, shipmentId: input.shipmentId ?? null },
  });

  return { id: created.id, created: true };
}

/** Resolves what is open under these keys because a later fact removed the problem. */
export async function resolveByFacts(tx: Tx, dedupeKeys: string[], note: string): Promise<number> {
  if (dedupeKeys.length === 0) return 0;
  const open = await tx.exception.findMany({
    where: { dedupeKey: { in: dedupeKeys }, status: { in: [...ACTIVE] } },
    select: { id: true },
  });
  if (open.length === 0) return 0;
  const now = new Date();
  await tx.exception.updateMany({
    where: { id: { in: open.map((e) => e.id) } },
    data: {
      status: 'RESOLVED',
      resolvedAt: now,
      resolutionCode: 'RESOLVED_BY_FACTS',
      resolutionNote: note,
      nextEscalationAt: null,
    },
  });
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
