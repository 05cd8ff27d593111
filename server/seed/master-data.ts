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

/** Builds the master data in memory; `rows` holds what is to be written, parents first. */
export function buildMasterData(rng: Rng, opts: Required<MasterDataOptions>) {
  const rows = new RowSet();
  const now = opts.now;
  // One stream per part, drawn up front: how many draws the dated parts (fuel weeks, exchange
  // days) take depends on `now`, and must not shift the codes of the parts after them.
  const [orgRng, networkRng, catalogRng, referenceRng, customerRng] = [1, 2, 3, 4, 5].map((salt) =>
    rng.fork(salt),
  ) as [Rng, Rng, Rng, Rng, Rng];
  const historyStart = new Date(now.getTime() - opts.historyDays * DAY);
  const org = buildOrg({
    rng: orgRng,
    rows,
    now,
    passwordHash: opts.passwordHash,
    calendarFrom: new Date(historyStart.getTime() - 3 * DAY),
    calendarTo: new Date(now.getTime() + 21 * DAY),
  });
  const network = {
    rng: networkRng,
    rows,
    now,
    ratesValidFrom: dateOnly(historyStart.getTime() - 180 * DAY),
  };
  const carriers = buildCarriers(network);
  const sites = buildNetwork(network, org.sites, carriers);
  const skus = buildCatalog(rows, catalogRng);
  const reference = { rng: referenceRng, rows, now, from: historyStart };
  const taxes = buildTaxes(reference);
  const fuelTables = buildFuelTables(reference);
  const fuelPrices = buildFuelIndex(reference);
  const fx = buildExchangeRates(reference);
  const sla = buildSlaPolicies(reference);
  const customers = buildCustomers({ rng: customerRng, rows, now, sites, taxes, fuelTables });
  const partners = buildPartners(reference, sites);
  const master: Omit<MasterData, 'counts'> = {
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
