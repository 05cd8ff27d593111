import { z } from 'zod';

// The load tender we send a carrier (X12 204) as a plain model: write-204.ts writes it and
// read-204.ts reads it back, so that what we tendered can be checked against what the carrier's
// 990 and 214s say. Codes stay X12's own where the carrier must read them (stop reasons LD/UL,
// date qualifiers, contact functions), since a translation would have to be undone on the way out.

const text = z.string().trim().min(1).max(80);
const code = z
  .string()
  .trim()
  .regex(/^[A-Z0-9]{1,4}$/, 'an X12 code of 1 to 4 letters or digits');
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal string such as "12.50"');

const reference = z.strictObject({ qualifier: code, value: text });
const note = z.strictObject({ code, text: z.string().trim().min(1).max(80) });
const weight = z.strictObject({ value: decimal, unit: z.enum(['KG', 'LB']) });

const tenderDate = z.strictObject({
  /** G6201, e.g. 69 promised for pick-up, 70 promised for delivery, 64 must respond by. */
  qualifier: code,
  date: z.iso.date(),
  time: z
    .string()
    .regex(/^\d{2}:\d{2}$/)
    .nullable(),
  /** G6203, e.g. U scheduled pick-up, X scheduled delivery, 1 must respond by. */
  timeQualifier: code.nullable(),
  /** G6205, the zone of `time` (ET, CD, LT ...). */
  timeCode: code.nullable(),
});

const party = z.strictObject({
  /** N101: SF ship from, ST ship to, SH shipper, CN consignee. */
  entity: code,
  name: text,
  idQualifier: code.nullable(),
  id: text.nullable(),
  address: z.array(text).max(2),
  city: text,
  region: text.nullable(),
  postalCode: text.nullable(),
  country: text.nullable(),
});

const contact = z.strictObject({
  function: code,
  name: text,
  qualifier: code.nullable(),
  number: text.nullable(),
});

const order = z.strictObject({
  /** OID01: the shipper's reference for the order (bill of lading or order id). */
  reference: text,
  purchaseOrder: text.nullable(),
  quantity: z.strictObject({ value: decimal, unit: code }).nullable(),
  weight: weight.nullable(),
  commodity: z.strictObject({ code: text, qualifier: code.nullable() }).nullable(),
  references: z.array(reference),
});

const stop = z.strictObject({
  sequence: z.number().int().min(1).max(999),
  /** S502: LD load, UL unload, CL/CU complete load/unload, PL/PU part load/unload. */
  reason: code,
  weight: weight.nullable(),
  quantity: z.strictObject({ value: decimal, unit: code }).nullable(),
  pallets: z.number().int().min(0).nullable(),
  references: z.array(reference),
  dates: z.array(tenderDate),
  notes: z.array(note),
  party: party.nullable(),
  contacts: z.array(contact),
  orders: z.array(order),
});

export const loadTenderSchema = z.strictObject({
  /** B204: our shipment ref, which the carrier echoes in its 990 (B102) and 214s (B1002). */
  shipmentRef: text,
  carrierScac: z.string().regex(/^[A-Z0-9]{2,4}$/, 'a SCAC of 2 to 4 letters or digits'),
  /** B206: PP prepaid, CC collect, TP third party. */
  paymentMethod: code,
  /** B2A01: 00 original, 01 cancellation, 04 change. */
  purpose: z.enum(['00', '01', '04']),
  references: z.array(reference),
  dates: z.array(tenderDate),
  notes: z.array(note),
  equipment: z
    .strictObject({ initial: text.nullable(), number: text.nullable(), type: code })
    .nullable(),
  stops: z.array(stop).min(2, 'a tender has at least a pick-up and a delivery'),
  totalWeight: weight.nullable(),
  /** L305 in currency units with its two decimals (written as N2, implied cents). */
  totalCharge: z
    .string()
    .regex(/^-?\d+\.\d{2}$/, 'an amount with two decimals such as "2152.67"')
    .nullable(),
  ladingQuantity: z.number().int().min(0).nullable(),
});

export type LoadTender = z.infer<typeof loadTenderSchema>;
export type TenderStop = LoadTender['stops'][number];
export type TenderOrder = TenderStop['orders'][number];
export type TenderDate = LoadTender['dates'][number];
export type TenderParty = NonNullable<TenderStop['party']>;
