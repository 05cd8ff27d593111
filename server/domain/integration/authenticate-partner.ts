import type pg from 'pg';

import { sqlPoolOf, type Db } from '../../db/client';
import type { EventType } from '../../db/generated/enums';
import { AppError } from '../../lib/errors';
import { hashApiKey, parseApiKey } from './api-keys';
import { PartnerKeyCache } from './partner-key-cache';

// Resolves `Authorization: Bearer <key>` to a partner and the key's scopes. Unknown, revoked and
// expired keys are all answered the same way (401), so that a caller learns nothing from it.
// Keys are read through a per-process cache; partner-key-cache.ts states how soon a revoked key
// stops working (milliseconds after the commit, KEY_CACHE_MS at most).

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
  const key = bearerKey(authorization);
  if (!key) throw new AppError('UNAUTHORIZED', 'missing API key: send Authorization: Bearer <key>');
  const row = parseApiKey(key) ? await liveKeyRow(db, hashApiKey(key)) : null;
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

/** The id of the live key in `Authorization: Bearer`, or null for none or an unknown one. */
export async function liveKeyId(db: Db, authorization: string | null): Promise<string | null> {
  const key = bearerKey(authorization);
  if (!key || !parseApiKey(key)) return null;

  return (await liveKeyRow(db, hashApiKey(key)))?.id ?? null;
}

function bearerKey(authorization: string | null): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
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
  expires_at: Date | null;
  site_ids: string[];
  site_codes: string[];
}

// One round trip: intake answers hundreds of requests a second and each one starts here.
const KEY_QUERY = `
  SELECT k.id, k.prefix, k.partner_id, p.code AS partner_code,
         k.event_types::text[] AS event_types, k.can_send_events, k.can_read, k.can_send_edi,
         k.can_send_epcis, k.expires_at,
         coalesce(array_agg(s.id::text) FILTER (WHERE s.id IS NOT NULL), '{}') AS site_ids,
         coalesce(array_agg(s.code) FILTER (WHERE s.id IS NOT NULL), '{}') AS site_codes
  FROM api_keys k
  JOIN partners p ON p.id = k.partner_id AND p.active
  LEFT JOIN api_key_sites ks ON ks.api_key_id = k.id
  LEFT JOIN sites s ON s.id = ks.site_id
  WHERE k.secret_hash = $1 AND k.revoked_at IS NULL
    AND (k.expires_at IS NULL OR k.expires_at > now())
  GROUP BY k.id, p.code`;

const caches = new WeakMap<pg.Pool, PartnerKeyCache<KeyRow | null>>();

function cacheOf(pool: pg.Pool): PartnerKeyCache<KeyRow | null> {
  let cache = caches.get(pool);
  if (!cache) {
    cache = new PartnerKeyCache(pool.options.connectionString);
    caches.set(pool, cache);
  }

  return cache;
}

/** The key with this hash while it may be used (live, unexpired, its partner active), or null. */
async function liveKeyRow(db: Db, secretHash: string): Promise<KeyRow | null> {
  const pool = sqlPoolOf(db);
  if (!pool) {
    const [row] = await db.$queryRawUnsafe<KeyRow[]>(KEY_QUERY, secretHash);

    return row ?? null;
  }
  const load = async () =>
    (await pool.query<KeyRow>({ name: 'partner-key', text: KEY_QUERY, values: [secretHash] }))
      .rows[0] ?? null;
  const row = await cacheOf(pool).read(secretHash, load);
  // A cached key past its expiry is refused at once, not when its entry runs out.
  if (row?.expires_at && row.expires_at.getTime() <= Date.now()) return null;

  return row;
}

// lastUsedAt is a hint for people (the key list), to the minute: a hot key must neither write
// its row on every request nor serialise on it, so each process stamps a key at most once a
// minute, and the statement skips a row another process stamped within that minute.
const TOUCH_EVERY_MS = 60_000;
const touched = new Map<string, number>();

function touch(db: Db, row: KeyRow): void {
  const now = Date.now();
  if (now - (touched.get(row.id) ?? -Infinity) < TOUCH_EVERY_MS) return;
  if (touched.size >= 10_000) touched.clear();
  touched.set(row.id, now);
  void db.$executeRaw`
    UPDATE api_keys SET last_used_at = now()
    WHERE id = ${row.id}::uuid
      AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`.catch(
    () => undefined,
  );
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
