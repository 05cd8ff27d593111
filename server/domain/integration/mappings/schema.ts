import { z } from 'zod';

import { MappingKind } from '../../../db/generated/enums';

// What an admin sends to add, edit, delete and look up a partner's mappings. A mapping's target
// is named by our codes (SKU code, site code, customer and location code, carrier code), which
// the service resolves to rows, naming the code it cannot find.

// Partner identifiers carry spaces at times ("1 EDI SOURCE"), never control characters.
const externalId = z
  .string()
  .trim()
  .min(1, 'Enter the identifier as the partner sends it')
  .max(128, 'An identifier is at most 128 characters')
  .regex(/^[^\p{Cc}]+$/u, 'An identifier holds no control characters');
const code = (what: string) =>
  z.string().trim().min(1, `Enter the ${what}`).max(64, `A ${what} is at most 64 characters`);
const note = z.string().trim().max(500, 'A note is at most 500 characters').optional();

export const mappingTarget = z.discriminatedUnion('type', [
  z.object({ type: z.literal('CUSTOMER'), customerCode: code('customer code') }),
  z.object({ type: z.literal('SKU'), skuCode: code('SKU code') }),
  z.object({
    type: z.literal('SITE'),
    siteCode: code('site code'),
    dock: z.string().trim().max(32, 'A dock is at most 32 characters').optional(),
  }),
  z.object({
    type: z.literal('CUSTOMER_LOCATION'),
    customerCode: code('customer code'),
    locationCode: code('location code'),
  }),
  z.object({ type: z.literal('CARRIER'), carrierCode: code('carrier code') }),
]);
export type MappingTarget = z.infer<typeof mappingTarget>;
export type TargetType = MappingTarget['type'];

/** What each kind of identifier may stand for. */
export const KIND_TARGETS: Record<MappingKind, readonly TargetType[]> = {
  PARTNER_ID: ['CUSTOMER'],
  SKU: ['SKU'],
  LOCATION: ['SITE', 'CUSTOMER_LOCATION'],
  CARRIER: ['CARRIER'],
};

export function targetFits(kind: MappingKind, target: MappingTarget): boolean {
  return KIND_TARGETS[kind].includes(target.type);
}

const TARGET_NAME: Record<TargetType, string> = {
  CUSTOMER: 'a customer',
  SKU: 'a SKU',
  SITE: 'a site',
  CUSTOMER_LOCATION: "a customer's location",
  CARRIER: 'a carrier',
};

export function kindMismatch(kind: MappingKind): string {
  const allowed = KIND_TARGETS[kind].map((t) => TARGET_NAME[t]).join(' or ');

  return `A ${kind} mapping names ${allowed}`;
}

export const createMappingInput = z
  .object({
    partnerId: z.uuid(),
    kind: z.enum(MappingKind),
    externalId,
    target: mappingTarget,
    note,
  })
  .superRefine((input, ctx) => {
    if (!targetFits(input.kind, input.target))
      ctx.addIssue({ code: 'custom', path: ['target'], message: kindMismatch(input.kind) });
  });
export type CreateMappingInput = z.infer<typeof createMappingInput>;

/** The kind stays what it was; the service checks the target against it. */
export const updateMappingInput = z.object({
  id: z.uuid(),
  externalId,
  target: mappingTarget,
  note,
});
export type UpdateMappingInput = z.infer<typeof updateMappingInput>;

export const deleteMappingInput = z.object({ id: z.uuid() });
export type DeleteMappingInput = z.infer<typeof deleteMappingInput>;

export const listMappingsInput = z.object({
  partnerId: z.uuid().optional(),
  kind: z.enum(MappingKind).optional(),
  /** Part of the partner's identifier or of our code, any case. */
  search: z.string().trim().max(100).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListMappingsInput = z.infer<typeof listMappingsInput>;

export const partnerInput = z.object({ partnerId: z.uuid() });
