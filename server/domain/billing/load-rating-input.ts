import type { Tx } from '../../db/client';
import type { FuelPrice, RatingContract } from './rating';

// Loads a customer's contracts and the fuel index in the shapes the pure rating takes.

export async function loadContracts(tx: Tx, customerId: string): Promise<RatingContract[]> {
  const contracts = await tx.contract.findMany({
    where: { customerId },
    include: {
      lanes: { include: { breaks: true } },
      accessorials: true,
      fuelTable: { include: { bands: true } },
      tax: true,
    },
  });

  return contracts.map((c) => ({
    id: c.id,
    code: c.code,
    currency: c.currency,
    validFrom: c.validFrom,
    validTo: c.validTo,
    fuelBands: c.fuelTable ? c.fuelTable.bands : null,
    fuelRegion: c.fuelRegion,
    taxRate: c.tax ? c.tax.rate : null,
    lanes: c.lanes.map((l) => ({
      originSiteId: l.originSiteId,
      zoneId: l.zoneId,
      minimumCharge: l.minimumCharge,
      breaks: l.breaks,
    })),
    accessorials: c.accessorials,
  }));
}

export async function loadFuelPrices(tx: Tx, contracts: RatingContract[]): Promise<FuelPrice[]> {
  const regions = [...new Set(contracts.flatMap((c) => (c.fuelRegion ? [c.fuelRegion] : [])))];
  if (regions.length === 0) return [];

  return tx.fuelPriceIndex.findMany({
    where: { region: { in: regions } },
    select: { region: true, weekStart: true, price: true },
  });
}
