import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/client';
import type { EventType } from '../../db/generated/enums';
import { AppError } from '../../lib/errors';
import { parseEvent } from '../events/schema';
import { siteFilter, type SiteScope } from '../users/site-scope';
import { recordEvents } from './record-events';
import type { IntakeActor, ItemAnswer } from './record-events.types';

// A supervisor records a pick or a stage by hand, for a shipment at one of their sites. The
// form's fields become a canonical event exactly like a WMS would send, and go through the same
// schema and the same intake service (source UI, no partner, audited per event), so that a hand
// entry is judged and applied like any other.

const HAND_TYPES: ReadonlySet<EventType> = new Set(['PICK_COMPLETED', 'PACKED_STAGED']);

// Loose on purpose: the canonical schema judges the values, and its reasons are per field.
const field = (max = 64) => z.string().trim().max(max);

export const handRecordInput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('PICK'),
    ref: field(100).min(1),
    lineNo: z.number().int(),
    quantity: field(),
    uom: field(16),
    lot: field(128).optional(),
    location: field(128).optional(),
  }),
  z.object({
    kind: z.literal('STAGE'),
    ref: field(100).min(1),
    handlingUnits: z.number().int(),
    weightKg: field(),
    volumeM3: field(),
    dock: field(),
  }),
]);
export type HandRecordInput = z.output<typeof handRecordInput>;

export interface HandRecorder extends SiteScope {
  id: string;
}

/** The shipment a hand entry is for, when it is at one of the user's sites. */
export async function handRecordTarget(db: Db, scope: SiteScope, ref: string) {
  const shipment = await db.shipment.findFirst({
    where: { ref, ...siteFilter(scope) },
    select: {
      id: true,
      ref: true,
      status: true,
      site: {
        select: {
          code: true,
          timeZone: true,
          dockDoors: { where: { active: true }, orderBy: { code: 'asc' }, select: { code: true } },
        },
      },
      order: {
        select: {
          ref: true,
          lines: {
            orderBy: { lineNo: 'asc' },
            select: {
              lineNo: true,
              quantity: true,
              uomCode: true,
              sku: { select: { code: true } },
            },
          },
        },
      },
    },
  });
  // Another site's shipment answers as absent, as the shipment page does.
  if (!shipment) throw new AppError('NOT_FOUND', `No shipment ${ref} at your sites`);

  return shipment;
}

type Target = Awaited<ReturnType<typeof handRecordTarget>>;

/** Blank optional text is left out rather than sent as an empty (and so rejected) string. */
const present = (text: string | undefined) => (text ? text : undefined);

function payloadOf(input: HandRecordInput) {
  if (input.kind === 'PICK') {
    const { lineNo, quantity, uom } = input;
    const line = {
      lineNo,
      quantity,
      uom,
      lot: present(input.lot),
      location: present(input.location),
    };

    return { type: 'PICK_COMPLETED' as const, payload: { lines: [line] } };
  }

  return {
    type: 'PACKED_STAGED' as const,
    payload: {
      handlingUnits: input.handlingUnits,
      weight: { value: input.weightKg, unit: 'KG' },
      volume: { value: input.volumeM3, unit: 'M3' },
      dock: input.dock,
    },
  };
}

/** The canonical event for a hand entry: our own eventId, happening now, at the shipment's site. */
export function handEvent(input: HandRecordInput, target: Target, now: Date) {
  return {
    eventId: `ui-${randomUUID()}`,
    occurredAt: now.toISOString(),
    site: target.site.code,
    orderRef: target.order.ref,
    ...payloadOf(input),
  };
}

export interface HandRecordResult {
  ref: string;
  type: 'PICK_COMPLETED' | 'PACKED_STAGED';
  answer: ItemAnswer;
}

export async function recordByHand(
  db: Db,
  user: HandRecorder,
  input: HandRecordInput,
  options: { requestId?: string; now?: Date } = {},
): Promise<HandRecordResult> {
  const now = options.now ?? new Date();
  const target = await handRecordTarget(db, user, input.ref);
  const event = handEvent(input, target, now);
  const actor: IntakeActor = {
    partnerId: null,
    siteCodes: new Set([target.site.code]),
    eventTypes: HAND_TYPES,
  };
  const [answer] = await recordEvents(db, actor, [parseEvent(event, { now })], {
    source: 'UI',
    userId: user.id,
    requestId: options.requestId,
  });

  return { ref: target.ref, type: event.type, answer: answer! };
}
