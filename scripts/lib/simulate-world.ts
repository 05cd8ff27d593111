import { buildMasterData, DEFAULT_HISTORY_DAYS, DEFAULT_SEED, Rng } from '../../server/seed';
import { FX_BASES } from '../../server/seed/world-sites';

// The demo world as the simulator needs it: codes only (sites, docks, vehicles, customers and
// their ship-to locations, SKUs with units, prices and hazard classes). It is rebuilt from the
// seed's own generator with the seed's default seed, so the codes are those `npm start` wrote,
// without reading the database: the simulator changes and learns state only through the API.

export interface WorldSku {
  code: string;
  /** USD per each, as the catalogue prices it. */
  unitPrice: number;
  weightKg: number;
  volumeM3: number;
  caseSize: number;
  dangerous: boolean;
}

export interface WorldCustomer {
  code: string;
  currency: string;
  /** Pays so late that it runs near its credit limit: the target of credit breaches. */
  slowPayer: boolean;
}

export interface WorldSite {
  code: string;
  share: number;
  docks: string[];
  vehicles: string[];
  /** Customers with a ship-to location served from this site, with that location's code. */
  shipTos: { customer: WorldCustomer; location: string }[];
}

export interface World {
  sites: WorldSite[];
  skus: WorldSku[];
  dgSkus: WorldSku[];
}

function fxOf(currency: string): number {
  return FX_BASES[currency] ?? 1;
}

export function loadWorld(seed = DEFAULT_SEED): World {
  // `now` moves dates only; the codes depend on the seed alone. The password hash is unused.
  const { master } = buildMasterData(new Rng(seed), {
    now: new Date(),
    historyDays: DEFAULT_HISTORY_DAYS,
    passwordHash: 'unused',
  });
  const skus = master.skus.map((s) => ({
    code: s.code,
    unitPrice: Number(s.unitPrice),
    weightKg: s.weightKg,
    volumeM3: s.volumeM3,
    caseSize: s.factors.CS,
    dangerous: Boolean(s.hazardClass),
  }));
  const sites: WorldSite[] = master.sites.map((site) => ({
    code: site.code,
    share: site.share,
    docks: site.docks.map((d) => d.code),
    vehicles: site.vehicles.map((v) => v.code),
    shipTos: [],
  }));
  const byCode = new Map(sites.map((s) => [s.code, s]));
  for (const c of master.customers) {
    const customer = { code: c.code, currency: c.currency, slowPayer: c.payProfile === 'SLOW' };
    for (const location of c.locations) {
      byCode.get(location.site.code)?.shipTos.push({ customer, location: location.code });
    }
  }

  return {
    sites: sites.filter((s) => s.shipTos.length > 0 && s.docks.length > 0),
    skus: skus.filter((s) => !s.dangerous),
    dgSkus: skus.filter((s) => s.dangerous),
  };
}

/** A price per each, converted from the catalogue's USD into the order's currency. */
export function priceIn(sku: WorldSku, currency: string): number {
  return sku.unitPrice * fxOf(currency);
}
