import type { StoredApprovals } from '../approvals/load-rules';
import type { AuditHead } from '../audit/chained-audit';
import type { Tx } from '../../db/client';
import type { HoldReason, Readiness } from '../../db/generated/enums';
import { decimal, sum } from '../../lib/money';
import { estimateFreight } from '../billing/rating';
import { referenceData, type ReferenceScope, type ReferenceVersions } from './reference-cache';
import { matchZones } from './route-check';
import type { GateDocument, GateInput, GateLine, GateSettings } from './types';

// Builds the plain GateInput the pure checks take from what the apply already read (the
// shipment as its replay leaves it) and the reference data (reference-cache.ts). The credit
// exposure comes from the customer's credit book (credit-book.ts).

export const DEFAULT_SETTINGS = { quantityTolerance: { fraction: '0.02', absolute: '0' } };

/** The shipment as the gate sees it: stored facts with the replay's results applied. */
export interface GateState {
  shipment: {
    id: string;
    siteId: string;
    customerId: string;
    readiness: Readiness;
    readyAt: Date | null;
    plannedTripId: string | null;
    stagedAt: Date | null;
    dangerousGoods: boolean;
    /** Measured, as stored (numeric(12,3) and numeric(12,4)); null when not measured. */
    weightKg: string | null;
    volumeM3: string | null;
    handlingUnits: number | null;
    goodsValue: string | null;
    currency: string;
  };
  customer: {
    allowsPartial: boolean;
    creditLimit: string;
    creditBlocked: boolean;
    currency: string;
  };
  shipTo: { postalCode: string; country: string };
  site: { id: string; timeZone: string };
  lines: GateLine[];
  documents: GateDocument[];
  /** The gate's holds standing on the shipment. */
  openHolds: { id: string; reason: HoldReason }[];
  /** Whether an approved hold override stands on the shipment (none: nothing to read). */
  standingOverrides: boolean;
  /** Dedupe keys of the shipment's active gate exceptions (shipment:<id>:<type>). */
  openKeys: ReadonlySet<string>;
  lastFingerprint: string | null;
  tolerance: unknown;
  scope: ReferenceScope;
  versions: ReferenceVersions;
  /** The active approval rules and the shipment's requests under them. */
  approvals: StoredApprovals;
  /** The shipment's audit chain, locked until commit, for the decision's audit row. */
  auditHead: AuditHead;
}

function settingsOf(tolerance: unknown): GateSettings {
  const value = (tolerance ?? DEFAULT_SETTINGS.quantityTolerance) as {
    fraction: string;
    absolute: string;
  };

  return {
    quantityTolerance: { fraction: decimal(value.fraction), absolute: decimal(value.absolute) },
  };
}

export type GateInputBeforeCredit = Omit<GateInput, 'exposure'> & {
  /** This shipment's expected value: goods value plus the freight estimate. */
  thisShipment: ReturnType<typeof decimal>;
};

/** Everything but the credit exposure, which needs the customer's lock. */
export async function loadGateInput(tx: Tx, state: GateState): Promise<GateInputBeforeCredit> {
  const { shipment, lines } = state;
  const ref = await referenceData(tx, state.scope, state.versions);
  const weightKg = shipment.weightKg
    ? decimal(shipment.weightKg)
    : sum(lines.map((l) => l.pickedQty.mul(l.sku.weightKg)));
  const volumeM3 = shipment.volumeM3
    ? decimal(shipment.volumeM3)
    : sum(lines.map((l) => l.pickedQty.mul(l.sku.volumeM3)));
  const zone = matchZones(state.shipTo, ref.zones)[0];
  const freight = zone
    ? estimateFreight(ref.contracts, {
        originSiteId: shipment.siteId,
        zoneId: zone.id,
        shipDate: shipment.stagedAt ?? new Date(),
        weightKg,
        volumeM3,
        handlingUnits: shipment.handlingUnits,
        dangerousGoods: shipment.dangerousGoods,
      })
    : null;
  const goodsValue = decimal(shipment.goodsValue ?? '0');

  return {
    shipment: {
      id: shipment.id,
      stagedAt: shipment.stagedAt!,
      dangerousGoods: shipment.dangerousGoods,
      weightKg: shipment.weightKg ? weightKg : null,
      volumeM3: shipment.volumeM3 ? volumeM3 : null,
      goodsValue,
      currency: shipment.currency,
    },
    lines,
    customer: {
      id: shipment.customerId,
      allowsPartial: state.customer.allowsPartial,
      creditLimit: decimal(state.customer.creditLimit),
      creditBlocked: state.customer.creditBlocked,
      currency: state.customer.currency,
    },
    documents: state.documents,
    shipTo: state.shipTo,
    zones: ref.zones,
    site: state.site,
    routes: ref.routes,
    vehicles: ref.vehicles,
    settings: settingsOf(state.tolerance),
    thisShipment: freight?.ok ? goodsValue.plus(freight.amount) : goodsValue,
  };
}
