import { hashPassword } from '../auth/password';
import { DEMO_PASSWORD } from '../auth/demo-users';
import type { RawDb } from './bulk-insert';
import { buildCatalog } from './master-catalog';
import { buildCustomers } from './master-customers';
import { buildCarriers, buildNetwork } from './master-network';
import { buildOrg } from './master-org';
import {
  buildExchangeRates,
  buildFuelIndex,
  buildFuelTables,
  buildPartners,
  buildSlaPolicies,
  buildTaxes,
  type ReferenceContext,
} from './master-reference';
import { Rng } from './rng';
import { dateOnly, RowSet } from './rows';
import type { MasterData } from './types';

const DAY = 86_400_000;
export const DEFAULT_HISTORY_DAYS = 90;

export interface MasterDataOptions {
  now?: Date;
  /** How far back fuel prices, exchange rates and calendars must reach. */
  historyDays?: number;
  /** A precomputed hash of DEMO_PASSWORD, since argon2 is deliberately slow. */
  passwordHash?: string;
}

/**
 * One generator per part, drawn up front: how many draws the dated parts take (fuel weeks,
 * exchange days) depends on `now`, and must not shift the codes of the parts after them.
 */
function streams(rng: Rng): [Rng, Rng, Rng, Rng, Rng] {
  return [rng.fork(1), rng.fork(2), rng.fork(3), rng.fork(4), rng.fork(5)];
}

/** Builds the master data in memory; `rows` holds what is to be written, parents first. */
export function buildMasterData(
  rng: Rng,
  opts: Required<MasterDataOptions>,
): { master: Omit<MasterData, 'counts'>; rows: RowSet } {
  const rows = new RowSet();
  const now = opts.now;
  const [orgRng, networkRng, catalogRng, referenceRng, customerRng] = streams(rng);
  const historyStart = new Date(now.getTime() - opts.historyDays * DAY);
  const org = buildOrg({
    rng: orgRng,
    rows,
    now,
    passwordHash: opts.passwordHash,
    calendarFrom: new Date(historyStart.getTime() - 3 * DAY),
    calendarTo: new Date(now.getTime() + 21 * DAY),
  });
  const ratesValidFrom = dateOnly(historyStart.getTime() - 180 * DAY);
  const network = { rng: networkRng, rows, now, ratesValidFrom };
  const carriers = buildCarriers(network);
  const sites = buildNetwork(network, org.sites, carriers);
  const skus = buildCatalog(rows, catalogRng);
  const reference = buildReference({ rng: referenceRng, rows, now, from: historyStart });
  const customers = buildCustomers({ rng: customerRng, rows, now, sites, ...reference });
  const partners = buildPartners({ rng: referenceRng, rows, now, from: historyStart }, sites);
  const { fuelPrices, fx, sla } = reference;
  const master = {
    now,
    historyStart,
    sites,
    carriers,
    skus,
    customers,
    sla,
    fuelPrices,
    fx,
    partners,
    demoUserIds: org.demoUserIds,
  };

  return { master, rows };
}

/** Taxes, fuel tables, the fuel index, exchange rates and SLA policies, in that row order. */
function buildReference(ctx: ReferenceContext) {
  return {
    taxes: buildTaxes(ctx),
    fuelTables: buildFuelTables(ctx),
    fuelPrices: buildFuelIndex(ctx),
    fx: buildExchangeRates(ctx),
    sla: buildSlaPolicies(ctx),
  };
}

/**
 * Writes the demo world's master data: sites and calendars, teams and users, customers with
 * contracts and rate cards, the catalogue, carriers and the fleet, zones, routes, departures,
 * dock doors, SLA policies, fuel prices, exchange rates and partners. Expects tables without
 * these codes (a fresh database); returns what seedHistory needs.
 */
export async function seedMasterData(
  db: RawDb,
  rng: Rng = new Rng(),
  opts: MasterDataOptions = {},
): Promise<MasterData> {
  const { master, rows } = buildMasterData(rng, {
    now: opts.now ?? new Date(),
    historyDays: opts.historyDays ?? DEFAULT_HISTORY_DAYS,
    passwordHash: opts.passwordHash ?? (await hashPassword(DEMO_PASSWORD)),
  });
  const counts = await rows.write(db);

  return { ...master, counts };
}
