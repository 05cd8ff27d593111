import type { Tx } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { loadContracts } from './load-rating-input';
import type { RatingContract } from './rating';

// A customer's contracts with their rate cards, kept per process for billing pre-validation,
// as the gate keeps its reference data (readiness/reference-cache.ts): the statement that loads
// the shipment also reads a fingerprint of the customer's contracts (a count and a sum of row
// hashes over the contracts, lanes, breaks, accessorials, fuel tables and bands, and tax
// jurisdictions), and the cached copy is used only while that fingerprint is unchanged. Any
// change, by any process, is seen by the next run; a copy is cached only under the version it
// was read at.

const MAX_ENTRIES = 2_000;

const cache = new Map<string, { version: string; contracts: RatingContract[] }>();

/** A scalar subquery: the fingerprint of the customer's contracts and everything they rate by. */
export function contractsVersionSql(customerId: Prisma.Sql) {
  const ids = Prisma.sql`SELECT c.id FROM contracts c WHERE c.customer_id = ${customerId}`;

  return Prisma.sql`(SELECT count(*)::text || ':' || coalesce(sum(h), 0)::text FROM (
      SELECT hashtextextended(c::text, 0) AS h FROM contracts c WHERE c.customer_id = ${customerId}
      UNION ALL SELECT hashtextextended(cl::text, 0) FROM contract_lanes cl
        WHERE cl.contract_id IN (${ids})
      UNION ALL SELECT hashtextextended(b::text, 0) FROM lane_rate_breaks b
        JOIN contract_lanes cl ON cl.id = b.lane_id WHERE cl.contract_id IN (${ids})
      UNION ALL SELECT hashtextextended(a::text, 0) FROM accessorials a
        WHERE a.contract_id IN (${ids})
      UNION ALL SELECT hashtextextended(ft::text, 0) FROM fuel_surcharge_tables ft
        WHERE ft.id IN (SELECT c.fuel_table_id FROM contracts c WHERE c.customer_id = ${customerId})
      UNION ALL SELECT hashtextextended(fb::text, 0) FROM fuel_surcharge_bands fb
        WHERE fb.table_id IN
          (SELECT c.fuel_table_id FROM contracts c WHERE c.customer_id = ${customerId})
      UNION ALL SELECT hashtextextended(t::text, 0) FROM tax_jurisdictions t
        WHERE t.id IN (SELECT c.tax_id FROM contracts c WHERE c.customer_id = ${customerId})
    ) AS fp)`;
}

/**
 * The customer's contracts at `version` (read in this transaction): from memory when that
 * version is cached, else read now and cached only if the version did not move meanwhile.
 */
export async function contractsAt(
  tx: Tx,
  customerId: string,
  version: string,
): Promise<RatingContract[]> {
  const hit = cache.get(customerId);
  if (hit && hit.version === version) return hit.contracts;

  const contracts = await loadContracts(tx, customerId);
  const [after] = await tx.$queryRaw<{ version: string }[]>`
    SELECT ${contractsVersionSql(Prisma.sql`${customerId}::uuid`)} AS version`;
  if (after?.version === version) {
    cache.delete(customerId);
    cache.set(customerId, { version, contracts });
    // Oldest first: a Map iterates in insertion order, and a hit is not re-inserted.
    while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  }

  return contracts;
}

/** For tests: forget everything, as a fresh process would. */
export function clearContractCache(): void {
  cache.clear();
}
