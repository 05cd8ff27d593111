import type { Db, Tx } from '../../../db/client';
import type { MappingKind } from '../../../db/generated/enums';
import { Prisma } from '../../../db/generated/client';
import { gtin14 } from '../../../integration/gs1-keys';
import { enqueue } from '../../../jobs/enqueue';
import { AppError } from '../../../lib/errors';
import { writeAudit } from '../../audit/write-audit';
import { REAPPLY_TASK, reapplyJobKey } from './reapply-held';
import {
  kindMismatch,
  targetFits,
  type CreateMappingInput,
  type DeleteMappingInput,
  type MappingTarget,
  type UpdateMappingInput,
} from './schema';

// Adding, editing and deleting a partner's mappings: each change with its audit row and, when
// the partner has held-back events, the job that re-reads their documents, in one transaction.
// Deleting a mapping re-reads nothing: events it let through stay recorded. A re-read can also be
// asked for by hand, after a fix in master data (a SKU given its GTIN) rather than in the table.

const ENTITY = 'PartnerMapping';

export interface MappingActor {
  userId: string;
  requestId: string;
}

function auditActor(actor: MappingActor) {
  return { actor: { type: 'USER' as const, id: actor.userId }, requestId: actor.requestId };
}

interface TargetColumns {
  customerId: string | null;
  skuId: string | null;
  siteId: string | null;
  dock: string | null;
  customerLocationId: string | null;
  carrierId: string | null;
}

const NO_TARGET: TargetColumns = {
  customerId: null,
  skuId: null,
  siteId: null,
  dock: null,
  customerLocationId: null,
  carrierId: null,
};

/** Our codes to rows, naming the code that matches nothing. */
async function resolveTarget(tx: Tx, target: MappingTarget): Promise<TargetColumns> {
  const missing = (what: string) => new AppError('UNPROCESSABLE', `No ${what}`);
  switch (target.type) {
    case 'CUSTOMER': {
      const row = await tx.customer.findUnique({ where: { code: target.customerCode } });
      if (!row) throw missing(`customer with code ${target.customerCode}`);
      return { ...NO_TARGET, customerId: row.id };
    }
    case 'SKU': {
      const row = await tx.sku.findUnique({ where: { code: target.skuCode } });
      if (!row) throw missing(`SKU with code ${target.skuCode}`);
      return { ...NO_TARGET, skuId: row.id };
    }
    case 'SITE': {
      const row = await tx.site.findUnique({ where: { code: target.siteCode } });
      if (!row) throw missing(`site with code ${target.siteCode}`);
      return { ...NO_TARGET, siteId: row.id, dock: target.dock || null };
    }
    case 'CUSTOMER_LOCATION': {
      const row = await tx.customerLocation.findFirst({
        where: { code: target.locationCode, customer: { code: target.customerCode } },
      });
      if (!row) {
        throw missing(`location ${target.locationCode} of customer ${target.customerCode}`);
      }
      return { ...NO_TARGET, customerLocationId: row.id };
    }
    case 'CARRIER': {
      const row = await tx.carrier.findUnique({ where: { code: target.carrierCode } });
      if (!row) throw missing(`carrier with code ${target.carrierCode}`);
      return { ...NO_TARGET, carrierId: row.id };
    }
  }
}

const bareGtin = (externalId: string) => gtin14(externalId.replace(/^[A-Z]{2,4}:/, ''));

/**
 * One row per identifier and kind; for products, one per GTIN, since the adapters match a GTIN
 * in any length and with any qualifier ("UP:012345678905" and "00012345678905" are one key).
 */
async function assertFree(
  tx: Tx,
  row: { partnerId: string; kind: MappingKind; externalId: string },
  exceptId: string | null,
): Promise<void> {
  const notSelf = exceptId ? { id: { not: exceptId } } : {};
  const same = await tx.partnerMapping.findFirst({
    where: { partnerId: row.partnerId, kind: row.kind, externalId: row.externalId, ...notSelf },
    select: { id: true },
  });
  if (same) {
    throw new AppError(
      'CONFLICT',
      `This partner already maps ${row.kind} ${row.externalId}; edit that mapping`,
    );
  }
  const gtin = row.kind === 'SKU' ? bareGtin(row.externalId) : null;
  if (!gtin) return;
  const candidates = await tx.partnerMapping.findMany({
    where: {
      partnerId: row.partnerId,
      kind: 'SKU',
      externalId: { endsWith: gtin.replace(/^0+/, '') },
      ...notSelf,
    },
    select: { externalId: true },
  });
  const clash = candidates.find((c) => bareGtin(c.externalId) === gtin);
  if (clash) {
    throw new AppError(
      'CONFLICT',
      `This partner already maps GTIN ${gtin} as ${clash.externalId}; edit that mapping`,
    );
  }
}

/** The re-read of the partner's held documents, when it has any, in the change's transaction. */
async function enqueueReapply(tx: Tx, partnerId: string): Promise<boolean> {
  const waiting = await tx.heldDocumentEvent.findFirst({
    where: { partnerId, releasedAt: null },
    select: { id: true },
  });
  if (!waiting) return false;
  await enqueue(tx, REAPPLY_TASK, { partnerId }, { jobKey: reapplyJobKey(partnerId) });

  return true;
}

function conflictOnRace(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    throw new AppError('CONFLICT', 'This partner already maps that identifier; edit that mapping');
  }
  throw error;
}

export async function createMapping(db: Db, actor: MappingActor, input: CreateMappingInput) {
  return db
    .$transaction(async (tx) => {
      const partner = await tx.partner.findUnique({
        where: { id: input.partnerId },
        select: { code: true },
      });
      if (!partner) throw new AppError('NOT_FOUND', 'No such partner');
      const columns = await resolveTarget(tx, input.target);
      await assertFree(tx, input, null);
      const created = await tx.partnerMapping.create({
        data: {
          partnerId: input.partnerId,
          kind: input.kind,
          externalId: input.externalId,
          note: input.note || null,
          ...columns,
        },
        select: { id: true },
      });
      await writeAudit(tx, {
        entityType: ENTITY,
        entityId: created.id,
        action: 'partner_mapping.created',
        ...auditActor(actor),
        data: { partnerCode: partner.code, ...input },
      });
      const reapplying = await enqueueReapply(tx, input.partnerId);

      return { id: created.id, reapplying };
    })
    .catch(conflictOnRace);
}

async function loadMapping(tx: Tx, id: string) {
  const row = await tx.partnerMapping.findUnique({
    where: { id },
    select: {
      id: true,
      partnerId: true,
      kind: true,
      externalId: true,
      note: true,
      customerId: true,
      skuId: true,
      siteId: true,
      dock: true,
      customerLocationId: true,
      carrierId: true,
    },
  });
  if (!row) throw new AppError('NOT_FOUND', 'No such mapping; it may have been deleted');

  return row;
}

export async function updateMapping(db: Db, actor: MappingActor, input: UpdateMappingInput) {
  return db
    .$transaction(async (tx) => {
      const before = await loadMapping(tx, input.id);
      if (!targetFits(before.kind, input.target)) {
        throw new AppError('UNPROCESSABLE', kindMismatch(before.kind));
      }
      const columns = await resolveTarget(tx, input.target);
      await assertFree(tx, { ...before, externalId: input.externalId }, before.id);
      const after = { externalId: input.externalId, note: input.note || null, ...columns };
      const { id, partnerId, kind, ...was } = before;
      const changed = Object.entries(after).some(([k, v]) => was[k as keyof typeof was] !== v);
      if (!changed) return { id, changed: false, reapplying: false };
      await tx.partnerMapping.update({ where: { id }, data: after });
      await writeAudit(tx, {
        entityType: ENTITY,
        entityId: id,
        action: 'partner_mapping.updated',
        ...auditActor(actor),
        data: { kind, before: was, after, target: input.target },
      });
      const reapplying = await enqueueReapply(tx, partnerId);

      return { id, changed: true, reapplying };
    })
    .catch(conflictOnRace);
}

export async function deleteMapping(db: Db, actor: MappingActor, input: DeleteMappingInput) {
  return db.$transaction(async (tx) => {
    const before = await loadMapping(tx, input.id);
    await tx.partnerMapping.delete({ where: { id: before.id } });
    await writeAudit(tx, {
      entityType: ENTITY,
      entityId: before.id,
      action: 'partner_mapping.deleted',
      ...auditActor(actor),
      data: before,
    });

    return { id: before.id };
  });
}

/** The re-read of a partner's held documents, asked for by an admin; audited on the partner. */
export async function requestReapply(db: Db, actor: MappingActor, partnerId: string) {
  return db.$transaction(async (tx) => {
    const partner = await tx.partner.findUnique({ where: { id: partnerId }, select: { id: true } });
    if (!partner) throw new AppError('NOT_FOUND', 'No such partner');
    const reapplying = await enqueueReapply(tx, partnerId);
    if (reapplying) {
      await writeAudit(tx, {
        entityType: 'Partner',
        entityId: partnerId,
        action: 'partner.held_documents_reread',
        ...auditActor(actor),
      });
    }

    return { reapplying };
  });
}
