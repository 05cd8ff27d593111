import type { Db } from '../../db/client';
import type { LocationRef, ReferenceMap, SkuRef } from '../../integration/types';
import { partnerReferences } from './mappings/reads';

// The references a partner's documents are read against: master data (sites by code, customer
// locations by code and GLN, SKUs by code and GTIN, carriers by code and SCAC, customers by their
// own code) with the partner's own mapping table on top, so that a row an admin wrote wins over
// a master-data code that happens to be spelled the same.
// SHORTCOMING: master data is read whole per document (a few hundred rows in the demo world,
// but a catalogue of 100,000 SKUs would be read per interchange). The mark goes when the adapters
// ask for the identifiers a document holds and only those rows are read.

export async function buildReferenceMap(db: Db, partnerId: string): Promise<ReferenceMap> {
  const [master, own] = await Promise.all([masterReferences(db), partnerReferences(db, partnerId)]);

  return {
    partners: { ...master.partners, ...own.partners },
    skus: { ...master.skus, ...own.skus },
    locations: { ...master.locations, ...own.locations },
    carriers: { ...master.carriers, ...own.carriers },
  };
}

async function masterReferences(db: Db): Promise<ReferenceMap> {
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

export function skuRef(sku: {
  code: string;
  unitPrice: { toFixed: () => string };
  currency: string;
}): SkuRef {
  return { skuCode: sku.code, unitPrice: sku.unitPrice.toFixed(), currency: sku.currency };
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
    const ref = skuRef(sku);
    refs[sku.code] = ref;
    if (sku.gtin) refs[sku.gtin] = ref;
  }

  return refs;
}
