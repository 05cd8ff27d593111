import type { Socket } from 'node:net';
import pg from 'pg';

import { logger } from '../../lib/logger';

// Partner keys as last read, per process and database, so that intake does not look its key up
// on every request. How long a change to a key (revoked, expired, rescoped, its partner turned
// off) can go unseen:
//  - while this process listens on `partner_keys_changed` (the triggers of migration
//    20261204010700_intake_path notify on every such commit), until the notification arrives:
//    milliseconds; the whole cache is dropped on it;
//  - if a notification were lost without the connection reporting it, at most KEY_CACHE_MS;
//  - while the listener is down, nothing is served from the cache at all.
// An entry read while a notification arrived is not kept (the generation check), so a read
// that raced a change cannot outlive it.

const log = logger('partner-key-cache');

export const KEY_CACHE_MS = 5_000;
export const KEY_CHANNEL = 'partner_keys_changed';
const MAX_ENTRIES = 10_000;
const RECONNECT_AFTER_MS = 1_000;

interface Entry<T> {
  value: T;
  until: number;
}

export class PartnerKeyCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private generation = 0;
  private listener: pg.Client | null = null;
  private listening = false;
  private lastAttempt = -Infinity;

  constructor(private readonly connectionString: string | undefined) {}

  /** Whether entries are served: only while the listener is connected. */
  get live(): boolean {
    return this.listening;
  }

  /** The value for `key` read through `load`, from the cache when it is live and fresh. */
  async read(key: string, load: () => Promise<T>, now = Date.now()): Promise<T> {
    this.listen();
    const hit = this.listening ? this.entries.get(key) : undefined;
    if (hit && hit.until > now) return hit.value;

    const generation = this.generation;
    const value = await load();
    if (this.listening && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, { value, until: now + KEY_CACHE_MS });
    }

    return value;
  }

  /** Drops every entry (a change was committed, or the listener was lost). */
  clear(): void {
    this.entries.clear();
    this.generation++;
  }

  /** Ends the listener (tests, shutdown); the next read starts a new one. */
  async close(): Promise<void> {
    const listener = this.listener;
    this.dropListener();
    await listener?.end().catch(() => undefined);
  }

  private listen(): void {
    if (this.listener || !this.connectionString) return;
    const now = Date.now();
    if (now - this.lastAttempt < RECONNECT_AFTER_MS) return;
    this.lastAttempt = now;

    const listener = new pg.Client({ connectionString: this.connectionString });
    this.listener = listener;
    const lost = (error?: Error) => {
      if (this.listener !== listener) return;
      if (error) log.warn({ err: error }, 'key change listener lost; keys are read afresh');
      this.dropListener();
      void listener.end().catch(() => undefined);
    };
    listener.on('notification', () => this.clear());
    listener.on('error', lost);
    listener.on('end', () => lost());
    void (async () => {
      await listener.connect();
      // The listener must never keep a script or a test process alive on its own.
      (listener as unknown as { connection?: { stream?: Socket } }).connection?.stream?.unref();
      await listener.query(`LISTEN ${KEY_CHANNEL}`);
      if (this.listener === listener) {
        this.clear();
        this.listening = true;
      }
    })().catch((error: Error) => lost(error));
  }

  private dropListener(): void {
    this.listener = null;
    this.listening = false;
    this.clear();
  }
}
