import { z } from 'zod';

import type { Db, Tx } from '../../db/client';
import { EventType, PartnerKind } from '../../db/generated/enums';
import { AppError } from '../../lib/errors';
import { rateLimitConfigFromEnv } from '../../lib/rate-limit';
import { writeAudit } from '../audit/write-audit';
import { generateApiKey } from './api-keys';

// Partners and their API keys as admins manage them. A key's secret is shown once, in the answer
// to the request that made it; only its SHA-256 is stored (api-keys.ts). Rotation issues a new
// key with the same scopes and retires the old one after a grace period (24 h unless asked for
// less, down to at once), so that a partner can deploy the new secret without a gap. Every
// change writes its audit row in its own transaction.

export const ROTATION_GRACE_HOURS = 24;

export interface AdminActor {
  userId: string;
  requestId: string;
}

export const createPartnerInput = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[A-Z0-9][A-Z0-9_-]{1,31}$/, 'a code of 2 to 32 capital letters, digits, - or _'),
  name: z.string().trim().min(1, 'a name is required').max(120),
  kind: z.enum(PartnerKind),
});

const scopes = {
  name: z.string().trim().min(1, 'name the key, e.g. "WMS production"').max(80),
  siteIds: z.array(z.uuid()).min(1, 'a key must be scoped to at least one site').max(500),
  eventTypes: z.array(z.enum(EventType)).max(100),
  canSendEvents: z.boolean(),
  canRead: z.boolean(),
  canSendEdi: z.boolean(),
  canSendEpcis: z.boolean(),
  expiresAt: z.coerce.date().nullable(),
};

export const createKeyInput = z
  .strictObject({ partnerId: z.uuid(), ...scopes })
  .refine((k) => !k.canSendEvents || k.eventTypes.length > 0, {
    path: ['eventTypes'],
    message: 'a key that sends events needs at least one event type',
  });

export const rotateKeyInput = z.strictObject({
  keyId: z.uuid(),
  /** 0 revokes the old key at once. */
  graceHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 7)
    .default(ROTATION_GRACE_HOURS),
});

export const revokeKeyInput = z.strictObject({ keyId: z.uuid() });

export interface IssuedKey {
  id: string;
  prefix: string;
  /** The whole secret: shown once, never stored, never readable again. */
  key: string;
}

const KEY_COLUMNS = {
  id: true,
  name: true,
  prefix: true,
  eventTypes: true,
  canSendEvents: true,
  canRead: true,
  canSendEdi: true,
  canSendEpcis: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  sites: { select: { site: { select: { id: true, code: true } } } },
} as const;

/** Every partner with its keys, newest key first, and the limit each key is held to. */
export async function listPartners(db: Db) {
  const [partners, sites] = await Promise.all([
    db.partner.findMany({
      orderBy: { code: 'asc' },
      select: {
        id: true,
        code: true,
        name: true,
        kind: true,
        active: true,
        lenient: true,
        createdAt: true,
        apiKeys: { orderBy: { createdAt: 'desc' }, select: KEY_COLUMNS },
      },
    }),
    db.site.findMany({ orderBy: { code: 'asc' }, select: { id: true, code: true, name: true } }),
  ]);
  const limit = rateLimitConfigFromEnv();

  return {
    partners: partners.map((p) => ({
      ...p,
      apiKeys: p.apiKeys.map(({ sites: keySites, ...key }) => ({
        ...key,
        sites: keySites.map((s) => s.site).sort((a, b) => a.code.localeCompare(b.code)),
      })),
    })),
    sites,
    eventTypes: Object.values(EventType),
    // Every key is held to the same limit (server/lib/rate-limit.ts), counted per key.
    rateLimit: {
      perSecond: limit.points,
      burst: limit.burst,
      burstWindowSeconds: limit.burstWindowSeconds,
    },
  };
}

export async function createPartner(
  db: Db,
  actor: AdminActor,
  raw: z.input<typeof createPartnerInput>,
) {
  const input = createPartnerInput.parse(raw);

  return db.$transaction(async (tx) => {
    const taken = await tx.partner.findUnique({
      where: { code: input.code },
      select: { id: true },
    });
    if (taken) throw new AppError('CONFLICT', `a partner with code ${input.code} exists`);
    const partner = await tx.partner.create({ data: input, select: { id: true, code: true } });
    await writeAudit(tx, {
      entityType: 'partner',
      entityId: partner.id,
      action: 'partner.created',
      actor: { type: 'USER', id: actor.userId },
      requestId: actor.requestId,
      data: input,
    });

    return partner;
  });
}

type KeyScopes = Omit<z.output<typeof createKeyInput>, 'partnerId'>;

async function insertKey(tx: Tx, partnerId: string, scope: KeyScopes): Promise<IssuedKey> {
  const generated = generateApiKey();
  const row = await tx.apiKey.create({
    data: {
      partnerId,
      name: scope.name,
      prefix: generated.prefix,
      secretHash: generated.secretHash,
      eventTypes: scope.eventTypes,
      canSendEvents: scope.canSendEvents,
      canRead: scope.canRead,
      canSendEdi: scope.canSendEdi,
      canSendEpcis: scope.canSendEpcis,
      expiresAt: scope.expiresAt,
      sites: { create: scope.siteIds.map((siteId) => ({ siteId })) },
    },
    select: { id: true, prefix: true },
  });

  return { ...row, key: generated.key };
}

/** The audit's view of a key: its scopes, never its secret or hash. */
function auditedScopes(scope: KeyScopes, prefix: string) {
  return { prefix, ...scope, expiresAt: scope.expiresAt?.toISOString() ?? null };
}

export async function createKey(
  db: Db,
  actor: AdminActor,
  raw: z.input<typeof createKeyInput>,
): Promise<IssuedKey> {
  const { partnerId, ...scope } = createKeyInput.parse(raw);
  if (scope.expiresAt && scope.expiresAt <= new Date()) {
    throw new AppError('BAD_REQUEST', 'the expiry must be in the future');
  }

  return db.$transaction(async (tx) => {
    const partner = await tx.partner.findUnique({ where: { id: partnerId } });
    if (!partner) throw new AppError('NOT_FOUND', 'no such partner');
    const found = await tx.site.count({ where: { id: { in: scope.siteIds } } });
    if (found !== new Set(scope.siteIds).size) throw new AppError('BAD_REQUEST', 'unknown site');
    const issued = await insertKey(tx, partnerId, scope);
    await writeAudit(tx, {
      entityType: 'api_key',
      entityId: issued.id,
      action: 'api_key.created',
      actor: { type: 'USER', id: actor.userId },
      requestId: actor.requestId,
      data: { partnerId, ...auditedScopes(scope, issued.prefix) },
    });

    return issued;
  });
}

async function liveKey(tx: Tx, keyId: string) {
  // Locked, so that a rotation and a revocation of one key cannot both act on it.
  await tx.$queryRaw`SELECT id FROM api_keys WHERE id = ${keyId}::uuid FOR UPDATE`;
  const key = await tx.apiKey.findUnique({ where: { id: keyId }, select: KEY_COLUMNS });
  if (!key) throw new AppError('NOT_FOUND', 'no such API key');
  if (key.revokedAt) throw new AppError('CONFLICT', `key ${key.prefix} is already revoked`);

  return key;
}

export async function rotateKey(
  db: Db,
  actor: AdminActor,
  raw: z.input<typeof rotateKeyInput>,
): Promise<IssuedKey & { oldKeyEndsAt: Date }> {
  const { keyId, graceHours } = rotateKeyInput.parse(raw);
  const now = new Date();

  return db.$transaction(async (tx) => {
    const old = await liveKey(tx, keyId);
    const { partnerId } = await tx.apiKey.findUniqueOrThrow({
      where: { id: keyId },
      select: { partnerId: true },
    });
    const scope: KeyScopes = {
      name: old.name,
      siteIds: old.sites.map((s) => s.site.id),
      eventTypes: old.eventTypes,
      canSendEvents: old.canSendEvents,
      canRead: old.canRead,
      canSendEdi: old.canSendEdi,
      canSendEpcis: old.canSendEpcis,
      expiresAt: old.expiresAt && old.expiresAt > now ? old.expiresAt : null,
    };
    const issued = await insertKey(tx, partnerId, scope);
    const graceEnd = new Date(now.getTime() + graceHours * 3_600_000);
    // An old key that expires sooner keeps its own, earlier end.
    const oldKeyEndsAt = old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd;
    await tx.apiKey.update({
      where: { id: keyId },
      data: graceHours === 0 ? { revokedAt: now } : { expiresAt: oldKeyEndsAt },
    });
    const by = { type: 'USER' as const, id: actor.userId };
    await writeAudit(tx, {
      entityType: 'api_key',
      entityId: issued.id,
      action: 'api_key.created',
      actor: by,
      requestId: actor.requestId,
      data: { partnerId, rotatedFrom: old.prefix, ...auditedScopes(scope, issued.prefix) },
    });
    await writeAudit(tx, {
      entityType: 'api_key',
      entityId: keyId,
      action: graceHours === 0 ? 'api_key.revoked' : 'api_key.rotated',
      actor: by,
      requestId: actor.requestId,
      data: { prefix: old.prefix, replacedBy: issued.prefix, endsAt: oldKeyEndsAt.toISOString() },
    });

    return { ...issued, oldKeyEndsAt: graceHours === 0 ? now : oldKeyEndsAt };
  });
}

export async function revokeKey(
  db: Db,
  actor: AdminActor,
  raw: z.input<typeof revokeKeyInput>,
): Promise<{ id: string; revokedAt: Date }> {
  const { keyId } = revokeKeyInput.parse(raw);

  return db.$transaction(async (tx) => {
    const key = await liveKey(tx, keyId);
    const revokedAt = new Date();
    await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt } });
    await writeAudit(tx, {
      entityType: 'api_key',
      entityId: keyId,
      action: 'api_key.revoked',
      actor: { type: 'USER', id: actor.userId },
      requestId: actor.requestId,
      data: { prefix: key.prefix },
    });

    return { id: keyId, revokedAt };
  });
}
