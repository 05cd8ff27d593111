import type { Db } from '../../../db/client';
import type { MappingKind } from '../../../db/generated/enums';
import type { Prisma } from '../../../db/generated/client';
import type { LocationRef, ReferenceMap, SkuRef, Unresolved } from '../../../integration/types';
import type { ListMappingsInput } from './schema';
import { missText } from './orphan-text';

// The mapping table as admins read it (paged, searched), as the adapters read it (one partner's
// rows as a ReferenceMap), and what a partner's held documents still wait for.

const TARGET_SELECT = {
  customer: { select: { code: true, name: true } },
  sku: { select: { code: true, name: true, unitPrice: true, currency: true } },
  site: { select: { code: true, name: true, timeZone: true } },
  customerLocation: {
    select: { code: true, name: true, customer: { select: { code: true } } },
  },
  carrier: { select: { code: true, name: true } },
} satisfies Prisma.PartnerMappingSelect;

type TargetRows = Prisma.PartnerMappingGetPayload<{ select: typeof TARGET_SELECT }>;

/** Our side of a mapping in one line: "SKU SKU-1 (Blue widget)", "site DAL1, dock D4". */
export function targetText(row: TargetRows & { dock: string | null }): string {
  if (row.sku) return `SKU ${row.sku.code} (${row.sku.name})`;
  if (row.site) return `site ${row.site.code}${row.dock ? `, dock ${row.dock}` : ''}`;
  if (row.customerLocation) {
    const { customer, code, name } = row.customerLocation;
    return `location ${customer.code}/${code} (${name})`;
  }
  if (row.customer) return `customer ${row.customer.code} (${row.customer.name})`;
  if (row.carrier) return `carrier ${row.carrier.code} (${row.carrier.name})`;

  return '(nothing)';
}

function searchWhere(search: string | undefined): Prisma.PartnerMappingWhereInput {
  if (!search) return {};
  const contains = { contains: search, mode: 'insensitive' as const };

  return {
    OR: [
      { externalId: contains },
      { note: contains },
      { customer: { code: contains } },
      { sku: { code: contains } },
      { site: { code: contains } },
      { customerLocation: { code: contains } },
      { carrier: { code: contains } },
    ],
  };
}

export async function listMappings(db: Db, input: ListMappingsInput) {
  const where: Prisma.PartnerMappingWhereInput = {
    ...(input.partnerId ? { partnerId: input.partnerId } : {}),
    ...(input.kind ? { kind: input.kind } : {}),
    ...searchWhere(input.search),
  };
  const [total, rows] = await Promise.all([
    db.partnerMapping.count({ where }),
    db.partnerMapping.findMany({
      where,
      orderBy: [{ partner: { code: 'asc' } }, { kind: 'asc' }, { externalId: 'asc' }],
      skip: input.offset,
      take: input.limit,
      select: {
        id: true,
        kind: true,
        externalId: true,
        dock: true,
        note: true,
        updatedAt: true,
        partner: { select: { id: true, code: true } },
        ...TARGET_SELECT,
      },
    }),
  ]);

  return {
    total,
    items: rows.map((row) => ({
      id: row.id,
      partnerId: row.partner.id,
      partnerCode: row.partner.code,
      kind: row.kind,
      externalId: row.externalId,
      note: row.note,
      updatedAt: row.updatedAt,
      target: targetOf(row),
      targetText: targetText(row),
    })),
  };
}

/** The target as the form edits it. */
function targetOf(row: TargetRows & { dock: string | null }) {
  if (row.sku) return { type: 'SKU' as const, skuCode: row.sku.code };
  if (row.site) {
    return {
      type: 'SITE' as const,
      siteCode: row.site.code,
      ...(row.dock ? { dock: row.dock } : {}),
    };
  }
  if (row.customerLocation) {
    return {
      type: 'CUSTOMER_LOCATION' as const,
      customerCode: row.customerLocation.customer.code,
      locationCode: row.customerLocation.code,
    };
  }
  if (row.carrier) return { type: 'CARRIER' as const, carrierCode: row.carrier.code };

  return { type: 'CUSTOMER' as const, customerCode: row.customer?.code ?? '' };
}

/** The choices the form offers as lists: partners, our sites and carriers (a few dozen each). */
export async function mappingOptions(db: Db) {
  const [partners, sites, carriers] = await Promise.all([
    db.partner.findMany({ orderBy: { code: 'asc' }, select: { id: true, code: true, name: true } }),
    db.site.findMany({
      where: { active: true },
      orderBy: { code: 'asc' },
      select: { code: true, name: true },
    }),
    db.carrier.findMany({
      where: { active: true },
      orderBy: { code: 'asc' },
      select: { code: true, name: true },
    }),
  ]);

  return { partners, sites, carriers };
}

/** One partner's rows as the adapters read them. */
export async function partnerReferences(db: Db, partnerId: string): Promise<ReferenceMap> {
  const rows = await db.partnerMapping.findMany({
    where: { partnerId },
    select: { kind: true, externalId: true, dock: true, ...TARGET_SELECT },
  });
  const partners: Record<string, string> = {};
  const skus: Record<string, SkuRef> = {};
  const locations: Record<string, LocationRef> = {};
  const carriers: Record<string, string> = {};
  for (const row of rows) {
    const id = row.externalId;
    if (row.kind === 'PARTNER_ID' && row.customer) partners[id] = row.customer.code;
    if (row.kind === 'SKU' && row.sku) {
      const { code, unitPrice, currency } = row.sku;
      skus[id] = { skuCode: code, unitPrice: unitPrice.toFixed(), currency };
    }
    if (row.kind === 'LOCATION') {
      const ref = locationRef(row);
      if (ref) locations[id] = ref;
    }
    if (row.kind === 'CARRIER' && row.carrier) carriers[id] = row.carrier.code;
  }

  return { partners, skus, locations, carriers };
}

function locationRef(row: TargetRows & { dock: string | null }): LocationRef | null {
  if (row.site) {
    return {
      kind: 'SITE',
      site: row.site.code,
      timeZone: row.site.timeZone,
      ...(row.dock ? { dock: row.dock } : {}),
    };
  }
  if (row.customerLocation) {
    return {
      kind: 'CUSTOMER',
      customerCode: row.customerLocation.customer.code,
      locationCode: row.customerLocation.code,
    };
  }

  return null;
}

/** Held events newer than this many are not counted on the page; the job still reads them all. */
const UNMATCHED_SCAN = 5_000;

/**
 * What a partner's held documents wait for, one row per identifier with how many events it
 * holds, most first: the admin's worklist.
 */
export async function listUnmatched(db: Db, partnerId: string) {
  const [partner, held] = await Promise.all([
    db.partner.findUnique({ where: { id: partnerId }, select: { code: true } }),
    db.heldDocumentEvent.findMany({
      where: { partnerId, releasedAt: null },
      orderBy: { heldAt: 'desc' },
      take: UNMATCHED_SCAN,
      select: { eventId: true, unmatched: true, heldAt: true },
    }),
  ]);
  const byValue = new Map<
    string,
    { kind: MappingKind; value: string; events: number; lastHeldAt: Date }
  >();
  for (const row of held) {
    const seen = new Set<string>();
    for (const miss of row.unmatched as unknown as Unresolved[]) {
      const key = `${miss.kind}\u0000${miss.value}`;
      // One event may miss the same value in two segments; it is still one event held.
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = byValue.get(key) ?? {
        kind: miss.kind,
        value: miss.value,
        events: 0,
        lastHeldAt: row.heldAt,
      };
      entry.events += 1;
      byValue.set(key, entry);
    }
  }
  const code = partner?.code ?? '?';

  return [...byValue.values()]
    .sort((a, b) => b.events - a.events || a.value.localeCompare(b.value))
    .map((entry) => ({ ...entry, text: missText(entry, code) }));
}
