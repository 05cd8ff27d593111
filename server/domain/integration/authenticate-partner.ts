import type { Db } from '../../db/client';
import type { EventType } from '../../db/generated/enums';
import { AppError } from '../../lib/errors';
import { hashApiKey, parseApiKey } from './api-keys';

// Resolves `Authorization: Bearer <key>` to a partner and the key's scopes. Unknown, revoked and
// expired keys are all answered the same way (401), so that a caller learns nothing from it.

export interface PartnerPrincipal {
  partnerId: string;
  partnerCode: string;
  keyId: string;
  keyPrefix: string;
  siteIds: Set<string>;
  siteCodes: Set<string>;
  eventTypes: Set<EventType>;
  canSendEvents: boolean;
  canRead: boolean;
  canSendEdi: boolean;
  canSendEpcis: boolean;
}

export type Permission = 'events' | 'read' | 'edi' | 'epcis';

export async function authenticatePartner(
  db: Db,
  authorization: string | null,
): Promise<PartnerPrincipal> {
  const key = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!key) throw new AppError('UNAUTHORIZED', 'missing API key: send Authorization: Bearer <key>');
  if (!parseApiKey(key)) throw new AppError('UNAUTHORIZED', 'unknown API key');
  // One round trip: intake answers hundreds of requests a second and each one starts here.
  const [row] = await db.$queryRaw<KeyRow[]>`
    SELECT k.id, k.prefix, k.partner_id, p.code AS partner_code, k.event_types::text[] AS event_types,
           k.can_send_events, k.can_read, k.can_send_edi, k.can_send_epcis, k.last_used_at,
           coalesce(array_agg(s.id::text) FILTER (WHERE s.id IS NOT NULL), '{}') AS site_ids,
           coalesce(array_agg(s.code) FILTER (WHERE s.id IS NOT NULL), '{}') AS site_codes
    FROM api_keys k
    JOIN partners p ON p.id = k.partner_id AND p.active
    LEFT JOIN api_key_sites ks ON ks.api_key_id = k.id
    LEFT JOIN sites s ON s.id = ks.site_id
    WHERE k.secret_hash = ${hashApiKey(key)} AND k.revoked_at IS NULL
      AND (k.expires_at IS NULL OR k.expires_at > now())
    GROUP BY k.id, p.code`;
  if (!row) throw new AppError('UNAUTHORIZED', 'unknown API key');
  touch(db, row);

  return {
    partnerId: row.partner_id,
    partnerCode: row.partner_code,
    keyId: row.id,
    keyPrefix: row.prefix,
    siteIds: new Set(row.site_ids),
    siteCodes: new Set(row.site_codes),
    eventTypes: new Set(row.event_types),
    canSendEvents: row.can_send_events,
    canRead: row.can_read,
    canSendEdi: row.can_send_edi,
    canSendEpcis: row.can_send_epcis,
  };
}

interface KeyRow {
  id: string;
  prefix: string;
  partner_id: string;
  partner_code: string;
  event_types: EventType[];
  can_send_events: boolean;
  can_read: boolean;
  can_send_edi: boolean;
  can_send_epcis: boolean;
  last_used_at: Date | null;
  site_ids: string[];
  site_codes: string[];
}

/** Best effort, at most once a minute per key: a hot key must not serialise on its own row. */
function touch(db: Db, row: KeyRow): void {
  const now = new Date();
  if (row.last_used_at && now.getTime() - row.last_used_at.getTime() < 60_000) return;
  void db.apiKey
    .update({ where: { id: row.id }, data: { lastUsedAt: now } })
    .catch(() => undefined);
}

const FLAG: Record<Permission, keyof PartnerPrincipal> = {
  events: 'canSendEvents',
  read: 'canRead',
  edi: 'canSendEdi',
  epcis: 'canSendEpcis',
};

export function requirePermission(principal: PartnerPrincipal, permission: Permission): void {
  if (!principal[FLAG[permission]]) {
    throw new AppError('FORBIDDEN', `this API key may not use ${permission}`);
  }
}
