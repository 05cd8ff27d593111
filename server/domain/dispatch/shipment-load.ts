import type { Prisma } from '../../db/generated/client';
import { decimal, type Decimal, type DecimalLike } from '../../lib/money';
import { requiredDgClasses, shipmentLoad } from '../readiness/route-check';
import type { GateInput, GateSku } from '../readiness/types';

// What a shipment weighs, how much room it takes and which dangerous-goods classes it carries,
// computed exactly as the readiness gate computed them (measured figures, else the picked
// lines'), so that slotting and billing work on the figures the gate passed.

/** The columns `measureShipment` needs; spread into a shipment `select`. */
export const SHIPMENT_LOAD_SELECT = {
  dangerousGoods: true,
  weightKg: true,
  volumeM3: true,
  lines: {
    select: {
      pickedQty: true,
      orderLine: {
        select: {
          sku: {
            select: {
              code: true,
              unNumber: true,
              hazardClass: true,
              weightKg: true,
              volumeM3: true,
            },
          },
        },
      },
    },
  },
} as const satisfies Prisma.ShipmentSelect;

export interface ShipmentLoadRow {
  dangerousGoods: boolean;
  weightKg: DecimalLike | null;
  volumeM3: DecimalLike | null;
  lines: readonly {
    pickedQty: DecimalLike;
    orderLine: {
      sku: {
        code: string;
        unNumber: string | null;
        hazardClass: string | null;
        weightKg: DecimalLike;
        volumeM3: DecimalLike;
      };
    };
  }[];
}

export interface ShipmentMeasures {
  weightKg: Decimal;
  volumeM3: Decimal;
  source: string;
  dangerousGoods: boolean;
  dgClasses: string[];
}

/** The part of the gate's input that route-check's `shipmentLoad` and `requiredDgClasses` read. */
interface GateView {
  shipment: Pick<GateInput['shipment'], 'dangerousGoods' | 'weightKg' | 'volumeM3'>;
  lines: readonly {
    pickedQty: Decimal;
    sku: Pick<GateSku, 'code' | 'unNumber' | 'hazardClass' | 'weightKg' | 'volumeM3'>;
  }[];
}

function gateView(row: ShipmentLoadRow): GateInput {
  const view: GateView = {
    shipment: {
      dangerousGoods: row.dangerousGoods,
      weightKg: row.weightKg === null ? null : decimal(row.weightKg),
      volumeM3: row.volumeM3 === null ? null : decimal(row.volumeM3),
    },
    lines: row.lines.map((l) => ({
      pickedQty: decimal(l.pickedQty),
      sku: {
        ...l.orderLine.sku,
        weightKg: decimal(l.orderLine.sku.weightKg),
        volumeM3: decimal(l.orderLine.sku.volumeM3),
      },
    })),
  };

  // The two helpers read no other field, so the narrower view stands in for the whole input.
  return view as GateInput;
}

export function measureShipment(row: ShipmentLoadRow): ShipmentMeasures {
  const view = gateView(row);
  const load = shipmentLoad(view);
  const dg = requiredDgClasses(view);

  return {
    weightKg: load.weightKg,
    volumeM3: load.volumeM3,
    source: load.source,
    dangerousGoods: dg.dangerous,
    dgClasses: dg.classes,
  };
}
