import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createPrisma, type Db } from '../../server/db/client';
import { authenticatePartner } from '../../server/domain/integration/authenticate-partner';
import { KEY_CACHE_MS } from '../../server/domain/integration/partner-key-cache';
import { createApiKey, createPartnerWorld } from '../fixtures/partner';
import { createMigratedDatabase, dropDatabase } from '../setup/test-database';

// How soon a changed key stops working with keys cached per process: on a database of its own,
// since one test turns the change notification off to show the bound that holds without it.

const adminUrl = process.env.CT_ADMIN_DATABASE_URL!;
let url: string;
let db: Db;
let other: pg.Client;
let world: Awaited<ReturnType<typeof createPartnerWorld>>;

beforeAll(async () => {
  url = await createMigratedDatabase(adminUrl, 'ct_key_cache');
  db = createPrisma(url, 4);
  world = await createPartnerWorld(db);
  other = new pg.Client({ connectionString: url });
  await other.connect();
});

afterAll(async () => {
  await other.end();
  await db.$disconnect();
  await dropDatabase(adminUrl, url);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function admits(authorization: string): Promise<boolean> {
  return authenticatePartner(db, authorization).then(
    () => true,
    (error: { code?: string }) => {
      if (error.code !== 'UNAUTHORIZED') throw error;

      return false;
    },
  );
}

/** A fresh key, authenticated until the cache serves it (its change listener is connected). */
async function cachedKey(): Promise<{ id: string; authorization: string }> {
  const key = await createApiKey(db, { partnerId: world.partner.id, siteIds: [world.site.id] });
  for (let i = 0; i < 50; i++) {
    expect(await admits(key.authorization)).toBe(true);
    await sleep(20);
  }

  return key;
}

/** Milliseconds until the key is refused, polling every 5 ms, or null past `withinMs`. */
async function refusedAfter(authorization: string, withinMs: number): Promise<number | null> {
  const t0 = performance.now();
  while (performance.now() - t0 < withinMs) {
    if (!(await admits(authorization))) return performance.now() - t0;
    await sleep(5);
  }

  return null;
}

describe('partner keys cached per process', () => {
  it('refuses a revoked key within milliseconds of the commit, on every process listening', async () => {
    const key = await cachedKey();
    await other.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [key.id]);

    const after = await refusedAfter(key.authorization, KEY_CACHE_MS);
    expect(after).not.toBeNull();
    expect(after!).toBeLessThan(500);
  });

  it('refuses a key whose partner is turned off, or whose sites change, as soon', async () => {
    const key = await cachedKey();
    await other.query('DELETE FROM api_key_sites WHERE api_key_id = $1', [key.id]);
    await sleep(100);
    await expect(authenticatePartner(db, key.authorization)).resolves.toMatchObject({
      siteCodes: new Set(),
    });

    await other.query('UPDATE partners SET active = false WHERE id = $1', [world.partner.id]);
    try {
      expect(await refusedAfter(key.authorization, KEY_CACHE_MS)).toBeLessThan(500);
    } finally {
      await other.query('UPDATE partners SET active = true WHERE id = $1', [world.partner.id]);
    }
  });

  it('refuses a cached key at its expiry, with nothing to notify', async () => {
    const key = await cachedKey();
    // Straight through the other connection, then the cache is filled again before expiry.
    await other.query(
      `UPDATE api_keys SET expires_at = now() + interval '1 second' WHERE id = $1`,
      [key.id],
    );
    await sleep(100);
    expect(await admits(key.authorization)).toBe(true);

    expect(await refusedAfter(key.authorization, 3_000)).not.toBeNull();
  });

  it(`keeps a lost change at most ${KEY_CACHE_MS} ms, and serves from the cache meanwhile`, async () => {
    const key = await cachedKey();
    await other.query('ALTER TABLE api_keys DISABLE TRIGGER api_keys_notify_changed');
    try {
      await other.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [key.id]);
      await sleep(100);
      // Proof that the cache answers: the database already says no.
      expect(await admits(key.authorization)).toBe(true);

      const after = await refusedAfter(key.authorization, KEY_CACHE_MS + 1_000);
      expect(after).not.toBeNull();
      expect(after!).toBeLessThanOrEqual(KEY_CACHE_MS);
    } finally {
      await other.query('ALTER TABLE api_keys ENABLE TRIGGER api_keys_notify_changed');
    }
  });

  it('stamps lastUsedAt at most once a minute per process', async () => {
    const key = await cachedKey();
    const stamped = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(stamped.lastUsedAt).not.toBeNull();

    await other.query(
      `UPDATE api_keys SET last_used_at = now() - interval '1 hour' WHERE id = $1`,
      [key.id],
    );
    expect(await admits(key.authorization)).toBe(true);
    const later = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(later.lastUsedAt!.getTime()).toBeLessThan(stamped.lastUsedAt!.getTime());
  });

  it('notifies a change of what a key may do, not its lastUsedAt stamp', async () => {
    const key = await cachedKey();
    const heard: string[] = [];
    other.on('notification', (message) => heard.push(message.payload ?? ''));
    await other.query('LISTEN partner_keys_changed');
    try {
      await other.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [key.id]);
      await sleep(100);
      expect(heard).toEqual([]);

      await other.query(`UPDATE api_keys SET can_read = false WHERE id = $1`, [key.id]);
      await other.query(`UPDATE sites SET name = name || '' WHERE id = $1`, [world.site.id]);
      await sleep(100);
      expect(heard).toEqual(['api_keys']);
    } finally {
      await other.query('UNLISTEN partner_keys_changed');
    }
  });
});
