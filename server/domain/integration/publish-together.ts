import type { Db } from '../../db/client';
import { logger } from '../../lib/logger';
import { withIntakeSql, type Query } from '../intake/intake-sql';
import {
  ERP_RECORD_TOPIC,
  nextMessage,
  recordLockKey,
  writeMessages,
  type NewMessage,
  type PublishOutcome,
  type RecordRow,
} from './publish-shipment-record';

// The ERP shipment records of several shipments in one transaction, for the items of a batch
// job (jobs/tasks.ts): each as publishShipmentRecord publishes one (publish-shipment-record.ts),
// the locks and reads of all of them one round trip (shipment_record_read_together: each
// publication's lock, in key order, then each shipment's record and last message), the records
// built and compared in Node, and every new message with its delivery job one statement. The
// records are independent of one another, so the outcomes are those of one run after another.

const log = logger('publish-together');

/**
 * Publishes the records of `shipmentIds` together: the outcome of each, by id, as
 * publishShipmentRecord answers it. Any failure fails them all (nothing is written); the
 * caller then publishes each by itself.
 */
export async function publishTogether(
  db: Db,
  shipmentIds: readonly string[],
  options: { now?: Date } = {},
): Promise<Map<string, PublishOutcome>> {
  const ids = [...new Set(shipmentIds)];
  const now = options.now ?? new Date();
  // Straight on the pg pool under the client, as the single form: every statement is raw SQL.
  const outcomes = await withIntakeSql(db, true, (query) => publishInOne(query, ids, now));
  const queued = [...outcomes.values()].filter((o) => o.status === 'queued').length;
  log.info({ shipments: ids.length, queued }, 'shipment records published together');

  return outcomes;
}

async function publishInOne(query: Query, ids: readonly string[], now: Date) {
  const [row] = await query<{ shipments: (RecordRow | null)[] | null }>({
    name: 'publish_records_read',
    text: `SELECT set_config('synchronous_commit', 'off', true) AS commit_mode,
      shipment_record_read_together($1::text[], $2::text[], $3::text) AS shipments`,
    values: [ids, ids.map(recordLockKey), ERP_RECORD_TOPIC],
  });
  const shipments = row?.shipments ?? [];
  const outcomes = new Map<string, PublishOutcome>();
  const messages: NewMessage[] = [];
  for (const [i, id] of ids.entries()) {
    const shipment = shipments[i];
    const next = shipment ? nextMessage(id, shipment, now) : null;
    if (!next) outcomes.set(id, { status: 'skipped', reason: 'NOT_FOUND' });
    else if ('status' in next) outcomes.set(id, next);
    else messages.push(next);
  }
  const written = messages.length > 0 ? await writeMessages(query, messages) : [];
  for (const [i, m] of messages.entries()) outcomes.set(m.shipmentId, written[i]!);

  return outcomes;
}
