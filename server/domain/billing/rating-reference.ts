import type { Tx } from '../../db/client';
import { loadContracts } from './load-rating-input';
import type { RatingContract } from './rating';

// A customer's contracts with their rate cards, kept per process for billing pre-validation,
// as the gate keeps its reference data (readiness/reference-cache.ts): the read that loads the
// shipment also reads a fingerprint of the customer's contracts (billing_contracts_version: a
// count and a sum of row hashes over the contracts, lanes, breaks, accessorials, fuel tables and
// bands, and tax jurisdictions), and the cached copy is used only while that fingerprint is unchanged. Any
// change, by any process, is seen by the next run; a copy is cached only under the version it
// was read at.

const MAX_ENTRIES = 2_000;

const cache = new Map<string, { version: string; contracts: RatingContract[] }>();

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
    SELECT billing_contracts_version(${customerId}::uuid) AS version`;
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
