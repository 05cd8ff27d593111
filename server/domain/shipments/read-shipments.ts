import type { Db } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import type { GateOutcome } from '../../db/generated/enums';
import { AppError } from '../../lib/errors';
import {
  shipmentListQuery,
  type ShipmentCursor,
  type ShipmentListQuery,
  type ShipmentMilestones,
  type ShipmentPage,
  type ShipmentScope,
  type ShipmentView,
} from './read-shipments.types';

// Shipment reads for partners (GET /api/v1/shipments). A partner sees only its key's sites; a
// shipment elsewhere is answered as unknown, so that a key cannot probe other sites' refs.
// Pages are keyset-ordered on (updated_at, id) ascending, so that a client that polls with the
// cursor also sees shipments that changed since its last page, at the end.

const SHIPMENT_SELECT = {
  id: true,
  ref: true,
  status: true,
  readiness: true,
  trackingRef: true,
  dangerousGoods: true,
  releasedAt: true,
  pickedAt: true,
  qcAt: true,
  packedStagedAt: true,
  readyAt: true,
  heldAt: true,
  slottedAt: true,
  loadedAt: true,
  departedAt: true,
  arrivedAt: true,
  deliveredAt: true,
  podReceivedAt: true,
  invoicedAt: true,
  cancelledAt: true,
  updatedAt: true,
  site: { select: { code: true } },
  order: { select: { ref: true } },
  customer: { select: { code: true } },
  holds: {
    where: { releasedAt: null },
    orderBy: { placedAt: 'asc' },
    select: { reason: true, detail: true, placedAt: true },
  },
} satisfies Prisma.ShipmentSelect;

type ShipmentRow = Prisma.ShipmentGetPayload<{ select: typeof SHIPMENT_SELECT }>;

interface DecisionRow {
  shipmentId: string;
  outcome: GateOutcome;
  decidedAt: Date;
  ruleVersion: string;
  trigger: string;
  checks: unknown;
}

/** Validates URL query parameters; every problem is a 400 that names the parameter. */
export function parseShipmentQuery(params: URLSearchParams): ShipmentListQuery {
  const parsed = shipmentListQuery.safeParse(Object.fromEntries(params));
  if (parsed.success) return parsed.data;
  const reason = parsed.error.issues
    .map((issue) =>
      issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');

  throw new AppError('BAD_REQUEST', reason);
}

export function encodeCursor(cursor: ShipmentCursor): string {
  return Buffer.from(JSON.stringify([cursor.updatedAt.toISOString(), cursor.id])).toString(
    'base64url',
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(raw: string): ShipmentCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2) {
      const [at, id] = value as unknown[];
      const updatedAt = new Date(typeof at === 'string' ? at : NaN);
      if (!Number.isNaN(updatedAt.getTime()) && typeof id === 'string' && UUID.test(id)) {
        return { updatedAt, id };
      }
    }
  } catch {
    // Falls through to the same answer as a well-formed cursor of the wrong shape.
  }

  throw new AppError('BAD_REQUEST', 'cursor: not a cursor this API issued; pass nextCursor as is');
}

function listWhere(scope: ShipmentScope, query: ShipmentListQuery): Prisma.ShipmentWhereInput {
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const and: Prisma.ShipmentWhereInput[] = [{ siteId: { in: [...scope.siteIds] } }];
  if (query.status) and.push({ status: { in: query.status } });
  if (query.site) and.push({ site: { code: query.site } });
  if (query.updatedSince) and.push({ updatedAt: { gte: query.updatedSince } });
  if (cursor) {
    and.push({
      OR: [
        { updatedAt: { gt: cursor.updatedAt } },
        { updatedAt: cursor.updatedAt, id: { gt: cursor.id } },
      ],
    });
  }

  return { AND: and };
}

export async function listShipments(
  db: Db,
  scope: ShipmentScope,
  query: ShipmentListQuery,
): Promise<ShipmentPage> {
  const rows = await db.shipment.findMany({
    where: listWhere(scope, query),
    orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
    take: query.limit + 1,
    select: SHIPMENT_SELECT,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const decisions = await latestDecisions(
    db,
    page.map((row) => row.id),
  );

  return {
    shipments: page.map((row) => shipmentView(row, decisions.get(row.id))),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}

export async function shipmentByRef(
  db: Db,
  scope: ShipmentScope,
  ref: string,
): Promise<ShipmentView> {
  const row = await db.shipment.findFirst({
    where: { ref, siteId: { in: [...scope.siteIds] } },
    select: SHIPMENT_SELECT,
  });
  if (!row)
    throw new AppError('NOT_FOUND', `no shipment ${JSON.stringify(ref)} at this key's sites`);
  const decisions = await latestDecisions(db, [row.id]);

  return shipmentView(row, decisions.get(row.id));
}

/** The latest decision of each shipment, in one query over the (shipment_id, decided_at) index. */
async function latestDecisions(db: Db, shipmentIds: string[]): Promise<Map<string, DecisionRow>> {
  if (shipmentIds.length === 0) return new Map();
  const rows = await db.$queryRaw<DecisionRow[]>`
    SELECT DISTINCT ON (shipment_id) shipment_id AS "shipmentId", outcome::text AS outcome,
      decided_at AS "decidedAt", rule_version AS "ruleVersion", trigger, checks
    FROM readiness_decisions
    WHERE shipment_id = ANY(${shipmentIds}::uuid[])
    ORDER BY shipment_id, decided_at DESC, id DESC`;

  return new Map(rows.map((row) => [row.shipmentId, row]));
}

const iso = (at: Date | null) => at?.toISOString() ?? null;

function milestonesOf(row: ShipmentRow): ShipmentMilestones {
  return {
    released: iso(row.releasedAt),
    picked: iso(row.pickedAt),
    qc: iso(row.qcAt),
    staged: iso(row.packedStagedAt),
    slotted: iso(row.slottedAt),
    loaded: iso(row.loadedAt),
    departed: iso(row.departedAt),
    arrived: iso(row.arrivedAt),
    delivered: iso(row.deliveredAt),
    podReceived: iso(row.podReceivedAt),
    invoiced: iso(row.invoicedAt),
    cancelled: iso(row.cancelledAt),
  };
}

function shipmentView(row: ShipmentRow, decision: DecisionRow | undefined): ShipmentView {
  return {
    ref: row.ref,
    status: row.status,
    readiness: row.readiness,
    site: row.site.code,
    orderRef: row.order.ref,
    customer: row.customer.code,
    trackingRef: row.trackingRef,
    dangerousGoods: row.dangerousGoods,
    milestones: milestonesOf(row),
    readyAt: iso(row.readyAt),
    heldAt: iso(row.heldAt),
    holds: row.holds.map((h) => ({
      reason: h.reason,
      detail: h.detail,
      placedAt: h.placedAt.toISOString(),
    })),
    decision: decision
      ? {
          outcome: decision.outcome,
          decidedAt: decision.decidedAt.toISOString(),
          ruleVersion: decision.ruleVersion,
          trigger: decision.trigger,
          checks: decision.checks,
        }
      : null,
    updatedAt: row.updatedAt.toISOString(),
  };
}
