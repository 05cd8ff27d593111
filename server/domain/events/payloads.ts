import { z } from 'zod';

import { decimalString, volumeSchema, weightSchema } from './decimal-fields';
import { mustBe } from './field-errors';
import { calendarDateString, instantString } from './instant';

// Payload schemas per event type. Objects are strict: a misspelt optional field ("damageNote")
// would otherwise vanish without a word, and the sender would never learn why it had no effect.

const MAX_LINES = 1000;

function text(label: string, max = 128) {
  return z
    .string({ error: mustBe(`${label} must be a string`) })
    .trim()
    .min(1, `${label} must not be empty`)
    .max(max, `${label} must be at most ${max} characters`);
}

/** Codes of things the product knows (site, customer, SKU, dock): matched exactly later. */
export function code(label: string) {
  return text(label, 64);
}

const lineNo = z
  .number({ error: mustBe('lineNo must be a whole number') })
  .int('lineNo must be a whole number')
  .min(1, 'lineNo must be at least 1')
  .max(100_000, 'lineNo must be at most 100000');

// Item units of measure are free-form here; the service checks them against the SKU's units.
const uom = z
  .string({ error: mustBe('uom must be a string') })
  .regex(/^[A-Za-z0-9_.-]{1,16}$/, 'uom must be a unit code such as "EA" or "CS"');

const currency = z
  .string({ error: mustBe('currency must be a string') })
  .regex(/^[A-Z]{3}$/, 'currency must be a three-letter ISO 4217 code such as "USD"');

const uri = z
  .url({ error: mustBe('must be an absolute URI') })
  .max(2048, 'must be at most 2048 characters');

/** Lines of one event, each line number at most once: two reports of one line cannot both hold. */
function lines<T extends z.ZodType<{ lineNo: number }>>(line: T, min = 1) {
  return z
    .array(line, { error: 'lines must be an array' })
    .min(min, `lines must hold at least ${min} line`)
    .max(MAX_LINES, `lines must hold at most ${MAX_LINES} lines`)
    .superRefine((items, ctx) => {
      const seen = new Set<number>();
      items.forEach((item, index) => {
        if (seen.has(item.lineNo)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'lineNo'],
            message: `line ${item.lineNo} appears twice`,
          });
        }
        seen.add(item.lineNo);
      });
    });
}

// A received line names the SKU (an adapter holds an event back while its GTIN maps to none) and
// the quantity as counted at the dock, in the unit it was counted in.
const receiptLine = z.strictObject({
  skuCode: code('skuCode'),
  gtin: z
    .string({ error: mustBe('gtin must be a string') })
    .regex(/^(\d{8}|\d{12,14})$/, 'gtin must be a GTIN of 8, 12, 13 or 14 digits')
    .optional(),
  quantity: decimalString('quantity'),
  uom,
  lot: text('lot').optional(),
  epcs: z
    .array(text('epc', 256), { error: 'epcs must be an array' })
    .max(MAX_LINES, `epcs must hold at most ${MAX_LINES} EPCs`)
    .optional(),
});

const receiptLines = z
  .array(receiptLine, { error: 'lines must be an array' })
  .min(1, 'lines must hold at least 1 line')
  .max(MAX_LINES, `lines must hold at most ${MAX_LINES} lines`);

const receipt = {
  lines: receiptLines,
  /** As the sender judged the goods (EPCIS disposition: in_progress, damaged, ...). */
  disposition: text('disposition', 256).optional(),
  /** The id of the sender's own record of the receipt (an EPCIS eventID). */
  sourceEventId: text('sourceEventId', 256).optional(),
};

const podSchema = z.strictObject({
  signer: text('signer'),
  signedAt: instantString('signedAt'),
  documentUri: uri,
});

export const payloadSchemas = {
  ORDER_RELEASED: z.strictObject({
    customerCode: code('customerCode'),
    shipToCode: code('shipToCode'),
    poNumber: text('poNumber').optional(),
    requestedDate: calendarDateString('requestedDate').optional(),
    currency,
    lines: lines(
      z.strictObject({
        lineNo,
        skuCode: code('skuCode'),
        quantity: decimalString('quantity'),
        uom,
        unitPrice: decimalString('unitPrice', 'nonNegative'),
      }),
    ),
  }),
  // Each line reports the cumulative quantity picked for that line so far (see replay.ts).
  PICK_COMPLETED: z.strictObject({
    lines: lines(
      z.strictObject({
        lineNo,
        quantity: decimalString('quantity'),
        uom,
        // Optional: a pick without lot or location is still a pick; the gate holds it unconfirmed.
        lot: text('lot').optional(),
        location: text('location').optional(),
      }),
    ),
  }),
  QC_PASSED: z.strictObject({
    lines: lines(z.strictObject({ lineNo })).optional(),
    reason: text('reason', 500).optional(),
  }),
  QC_FAILED: z.strictObject({
    lines: lines(z.strictObject({ lineNo })).optional(),
    reason: text('reason', 500),
  }),
  PACKED_STAGED: z.strictObject({
    handlingUnits: z
      .number({ error: mustBe('handlingUnits must be a whole number') })
      .int('handlingUnits must be a whole number')
      .min(1, 'handlingUnits must be at least 1')
      .max(100_000, 'handlingUnits must be at most 100000'),
    weight: weightSchema,
    volume: volumeSchema,
    dock: code('dock'),
  }),
  DOCUMENT_ATTACHED: z.strictObject({
    kind: z.enum(
      ['DANGEROUS_GOODS_DECLARATION', 'PROOF_OF_DELIVERY', 'COMMERCIAL_INVOICE', 'OTHER'],
      {
        error: (issue) =>
          issue.input === undefined
            ? 'is required'
            : `unknown document kind ${JSON.stringify(issue.input)}`,
      },
    ),
    reference: text('reference'),
    uri: uri.optional(),
    lineNo: lineNo.optional(),
  }),
  LOADED: z.strictObject({ vehicle: code('vehicle'), trip: code('trip').optional() }),
  DEPARTED: z.strictObject({ trip: code('trip').optional() }),
  ARRIVED: z.strictObject({}),
  DELIVERED: z.strictObject({
    lines: lines(
      z.strictObject({ lineNo, quantity: decimalString('quantity', 'nonNegative'), uom }),
    ).optional(),
    damageNotes: text('damageNotes', 2000).optional(),
    pod: podSchema.optional(),
  }),
  POD_RECEIVED: podSchema,
  CANCELLED: z.strictObject({ reason: text('reason', 500) }),
  EVENT_VOIDED: z.strictObject({
    voidedEventId: text('voidedEventId'),
    reason: text('reason', 500),
  }),
  // Goods we shipped, received back at our site: a fact on the shipment, never a milestone.
  RETURN_RECEIVED: z.strictObject({ ...receipt, reason: text('reason', 500).optional() }),
  // Any other receipt at our site (a supplier's delivery, a transfer in): it names no order or
  // shipment of ours, so its documents are carried as the sender typed them.
  INBOUND_RECEIPT: z.strictObject({
    ...receipt,
    bizTransactions: z
      .array(z.strictObject({ type: text('type', 256).optional(), id: text('id', 256) }), {
        error: 'bizTransactions must be an array',
      })
      .max(100, 'bizTransactions must hold at most 100 documents')
      .default([]),
  }),
} as const;

export type EventType = keyof typeof payloadSchemas;
export const EVENT_TYPES = Object.keys(payloadSchemas) as EventType[];

export type PayloadOf<T extends EventType> = z.output<(typeof payloadSchemas)[T]>;
export type OrderReleasedPayload = PayloadOf<'ORDER_RELEASED'>;
export type PickCompletedPayload = PayloadOf<'PICK_COMPLETED'>;
export type QcPassedPayload = PayloadOf<'QC_PASSED'>;
export type QcFailedPayload = PayloadOf<'QC_FAILED'>;
export type PackedStagedPayload = PayloadOf<'PACKED_STAGED'>;
export type DocumentAttachedPayload = PayloadOf<'DOCUMENT_ATTACHED'>;
export type LoadedPayload = PayloadOf<'LOADED'>;
export type DepartedPayload = PayloadOf<'DEPARTED'>;
export type ArrivedPayload = PayloadOf<'ARRIVED'>;
export type DeliveredPayload = PayloadOf<'DELIVERED'>;
export type PodReceivedPayload = PayloadOf<'POD_RECEIVED'>;
export type CancelledPayload = PayloadOf<'CANCELLED'>;
export type EventVoidedPayload = PayloadOf<'EVENT_VOIDED'>;
export type ReturnReceivedPayload = PayloadOf<'RETURN_RECEIVED'>;
export type InboundReceiptPayload = PayloadOf<'INBOUND_RECEIPT'>;
export type ProofOfDelivery = z.output<typeof podSchema>;
export type DocumentKind = DocumentAttachedPayload['kind'];
