import { createHmac } from 'node:crypto';
import type { Db } from '../../db/client';
import { logger } from '../../lib/logger';
import { canonicalJson } from '../audit/canonical-json';

// Delivers one outbox message to its receiver: a JSON POST signed with HMAC-SHA256, carrying the
// message id as its delivery id. Delivery is at least once (a crash after the receiver's answer
// and before our update sends it again), so the receiver drops repeats by `x-delivery-id`. No
// transaction is held open over the network: the message is read, posted, then updated.
//
// A refusal or a network failure counts the attempt, keeps the error and throws, so that the job
// retries with graphile-worker's backoff. A missing receiver configuration is not retried:
// waiting would not make it appear, so the message stays undelivered with the reason written on
// it, to be sent once a receiver is configured.

const log = logger('deliver-outbox');

export const SIGNATURE_HEADER = 'x-signature';
export const DELIVERY_ID_HEADER = 'x-delivery-id';
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_ERROR_CHARS = 1_000;

export interface Receiver {
  url: string | undefined;
  secret: string | undefined;
  timeoutMs?: number;
}

export type DeliveryOutcome =
  | { status: 'delivered'; httpStatus: number; attempts: number }
  | { status: 'not_configured'; note: string; attempts: number }
  | { status: 'already_delivered' }
  | { status: 'not_found' };

export class OutboxDeliveryError extends Error {
  readonly outboxId: string;
  readonly httpStatus: number | null;

  constructor(outboxId: string, message: string, httpStatus: number | null) {
    super(message);
    this.name = 'OutboxDeliveryError';
    this.outboxId = outboxId;
    this.httpStatus = httpStatus;
  }
}

/** Where a topic's messages go. Every topic so far is the ERP's. */
export function receiverFor(
  topic: string,
  env: Record<string, string | undefined> = process.env,
): Receiver {
  if (topic.startsWith('erp.')) {
    return { url: env.ERP_WEBHOOK_URL || undefined, secret: env.ERP_WEBHOOK_SECRET || undefined };
  }

  return { url: undefined, secret: undefined };
}

/** `sha256=<hex>` of the exact body bytes, as the receiver recomputes it. */
export function signatureOf(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

interface Target {
  url: string;
  secret: string;
  timeoutMs: number;
}

/** Where to post, or why nothing can be posted. */
function targetOf(topic: string, receiver: Receiver): Target | { problem: string } {
  if (!receiver.url) {
    return {
      problem: `not delivered: no receiver configured for ${topic} (ERP_WEBHOOK_URL is unset)`,
    };
  }
  // Business data is never sent unsigned: the receiver could not tell it from a forgery.
  if (!receiver.secret) {
    return { problem: 'not delivered: ERP_WEBHOOK_SECRET is unset, refusing to send unsigned' };
  }

  return {
    url: receiver.url,
    secret: receiver.secret,
    timeoutMs: receiver.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
}

async function recordFailure(db: Db, id: string, error: string): Promise<number> {
  const row = await db.outboxMessage.update({
    where: { id },
    data: { attempts: { increment: 1 }, lastError: error.slice(0, MAX_ERROR_CHARS) },
    select: { attempts: true },
  });

  return row.attempts;
}

async function post(receiver: Target, id: string, body: string) {
  try {
    const response = await fetch(receiver.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [DELIVERY_ID_HEADER]: id,
        [SIGNATURE_HEADER]: signatureOf(body, receiver.secret),
      },
      body,
      signal: AbortSignal.timeout(receiver.timeoutMs),
    });
    const text = await response.text();
    if (response.ok) return { ok: true as const, httpStatus: response.status };

    return {
      ok: false as const,
      httpStatus: response.status,
      error: `HTTP ${response.status}: ${text.slice(0, 200)}`,
    };
  } catch (error) {
    return {
      ok: false as const,
      httpStatus: null,
      error: `request failed: ${(error as Error).message}`,
    };
  }
}

export async function deliverOutbox(
  db: Db,
  outboxId: string,
  options: { receiver?: Receiver; now?: Date } = {},
): Promise<DeliveryOutcome> {
  const message = await db.outboxMessage.findUnique({ where: { id: outboxId } });
  if (!message) return { status: 'not_found' };
  if (message.deliveredAt) return { status: 'already_delivered' };

  const target = targetOf(message.topic, options.receiver ?? receiverFor(message.topic));
  if ('problem' in target) {
    // A state of the deployment, not a fault of this message: kept on the row, logged quietly.
    log.debug({ outboxId, topic: message.topic }, target.problem);
    const attempts = await recordFailure(db, outboxId, target.problem);

    return { status: 'not_configured', note: target.problem, attempts };
  }

  // Canonical JSON, so every retry sends the same bytes under the same signature.
  const result = await post(target, outboxId, canonicalJson(message.payload));
  if (!result.ok) {
    const attempts = await recordFailure(db, outboxId, result.error);
    log.warn({ outboxId, attempts, httpStatus: result.httpStatus }, 'outbox delivery failed');
    throw new OutboxDeliveryError(
      outboxId,
      `outbox ${outboxId}: ${result.error}`,
      result.httpStatus,
    );
  }

  const row = await db.outboxMessage.update({
    where: { id: outboxId },
    data: { deliveredAt: options.now ?? new Date(), attempts: { increment: 1 }, lastError: null },
    select: { attempts: true },
  });
  log.info({ outboxId, attempts: row.attempts }, 'outbox message delivered');

  return { status: 'delivered', httpStatus: result.httpStatus, attempts: row.attempts };
}
