import { z } from 'zod';

import {
  ShipmentStatus,
  type GateOutcome,
  type HoldReason,
  type Readiness,
} from '../../db/generated/enums';
import { parseInstant } from '../events/instant';

// The partner API's shipment reads: the query it takes and the shape it answers.

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;

const STATUSES = Object.values(ShipmentStatus);

/** `status=READY` or `status=READY,HELD`. */
const statusList = z
  .string()
  .transform((raw) => raw.split(',').map((s) => s.trim()))
  .pipe(
    z.array(
      z.enum(STATUSES, {
        error: (i) =>
          `unknown status ${JSON.stringify(i.input)}; expected one of ${STATUSES.join(', ')}`,
      }),
    ),
  );

const instant = z.string().transform((raw, ctx) => {
  const parsed = parseInstant('updatedSince', raw);
  if (parsed.ok) return parsed.at;
  ctx.addIssue({ code: 'custom', message: parsed.reason });

  return z.NEVER;
});

const limit = z
  .string()
  .regex(/^\d{1,4}$/, `limit must be a whole number from 1 to ${MAX_LIMIT}`)
  .transform(Number)
  .pipe(
    z
      .number()
      .min(1, `limit must be a whole number from 1 to ${MAX_LIMIT}`)
      .max(MAX_LIMIT, `limit must be at most ${MAX_LIMIT}`),
  );

export const shipmentListQuery = z.strictObject(
  {
    status: statusList.optional(),
    site: z.string().trim().min(1, 'site must not be empty').max(64).optional(),
    updatedSince: instant.optional(),
    limit: limit.default(DEFAULT_LIMIT),
    cursor: z.string().max(512).optional(),
  },
  {
    error: (i) =>
      i.code === 'unrecognized_keys' ? `unknown query parameter ${i.keys.join(', ')}` : undefined,
  },
);

export type ShipmentListQuery = z.output<typeof shipmentListQuery>;

/** Position after the last shipment of a page: keyset on (updated_at, id). */
export interface ShipmentCursor {
  updatedAt: Date;
  id: string;
}

export interface ShipmentScope {
  siteIds: ReadonlySet<string>;
}

type Iso = string | null;

export interface ShipmentMilestones {
  released: Iso;
  picked: Iso;
  qc: Iso;
  staged: Iso;
  slotted: Iso;
  loaded: Iso;
  departed: Iso;
  arrived: Iso;
  delivered: Iso;
  podReceived: Iso;
  invoiced: Iso;
  cancelled: Iso;
}

export interface ShipmentDecisionView {
  outcome: GateOutcome;
  decidedAt: string;
  ruleVersion: string;
  trigger: string;
  checks: unknown;
}

export interface ShipmentView {
  ref: string;
  status: ShipmentStatus;
  readiness: Readiness;
  site: string;
  orderRef: string;
  customer: string;
  trackingRef: string | null;
  dangerousGoods: boolean;
  milestones: ShipmentMilestones;
  readyAt: Iso;
  heldAt: Iso;
  holds: { reason: HoldReason; detail: string; placedAt: string }[];
  decision: ShipmentDecisionView | null;
  updatedAt: string;
}

export interface ShipmentPage {
  shipments: ShipmentView[];
  nextCursor: string | null;
}
