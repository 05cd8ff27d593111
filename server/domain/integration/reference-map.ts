import type { Db } from '../../db/client';
import type { LocationRef, ReferenceMap, SkuRef } from '../../integration/types';

// The references a partner's documents are read against, built from master data alone: sites by
// code, customer locations by code and GLN, SKUs by code and GTIN, carriers by code and SCAC, and
// customers by their own code. Sites have no GLN column, so a GLN or SGLN naming one of our sites
// resolves only once the partner mapping table exists.
// SHORTCOMING: there is no partner mapping table yet (issue 5, item 5), so a partner's own
// identifiers (ISA/GS ids, depositor codes, its location and carrier codes) match only when they
// equal our codes, and the whole master data is read per document. The mark goes when the table
// lands and this map is read from it, per partner and only for the references a document holds.

export async function buildReferenceMap(db: Db): Promise<ReferenceMap> {
  const [sites, locations, skus, carriers, customers] = await Promise.all([
    db.site.findMany({ where: { active: true }, select: { code: true, timeZone: true } }),
    db.customerLocation.findMany({
      select: { code: true, gln: true, customer: { select: { code: true } } },
    }),
    db.sku.findMany({
      where: { active: true },
      select: { code: true, gtin: true, unitPrice: true, currency: true },
    }),
    db.carrier.findMany({ where: { active: true }, select: { code: true, scac: true } }),
    db.customer.findMany({ where: { active: true }, select: { code: true } }),
  ]);

  return {
    partners: Object.fromEntries(customers.map((c) => [c.code, c.code])),
    skus: skuRefs(skus),
    locations: { ...customerLocationRefs(locations), ...siteRefs(sites) },
    carriers: Object.fromEntries(
      carriers.flatMap((c) => [[c.code, c.code], ...(c.scac ? [[c.scac, c.code]] : [])]),
    ),
  };
}

function siteRefs(sites: { code: string; timeZone: string }[]): Record<string, LocationRef> {
  return Object.fromEntries(
    sites.map((s) => [s.code, { kind: 'SITE', site: s.code, timeZone: s.timeZone }]),
  );
}

// A location code is unique only within its customer; a code two customers share is left out
// (it would name either), while its GLN, which is global, still maps.
function customerLocationRefs(
  locations: { code: string; gln: string | null; customer: { code: string } }[],
): Record<string, LocationRef> {
  const refs: Record<string, LocationRef> = {};
  const shared = new Set<string>();
  for (const location of locations) {
    const ref: LocationRef = {
      kind: 'CUSTOMER',
      customerCode: location.customer.code,
      locationCode: location.code,
    };
    if (location.code in refs) shared.add(location.code);
    refs[location.code] = ref;
    if (location.gln) refs[location.gln] = ref;
  }
  for (const code of shared) delete refs[code];

  return refs;
}

function skuRefs(
  skus: {
    code: string;
    gtin: string | null;
    unitPrice: { toFixed: () => string };
    currency: string;
  }[],
): Record<string, SkuRef> {
  const refs: Record<string, SkuRef> = {};
  for (const sku of skus) {
    const ref = { skuCode: sku.code, unitPrice: sku.unitPrice.toFixed(), currency: sku.currency };
    refs[sku.code] = ref;
    if (sku.gtin) refs[sku.gtin] = ref;
  }

  return refs;
}
