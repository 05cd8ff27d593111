import { createHash } from 'node:crypto';

import { canonicalJson } from '../audit/canonical-json';
import { instantOf } from './instant';
import type { CanonicalEvent } from './schema';

// One canonical JSON for the product: the audit chain's. Stored hashes depend on it, so there
// must not be a second spelling of it.
export { canonicalJson };

/**
 * What "the same event" means for idempotency: everything the event says, without what only
 * the transport carries (the sender's id is the key being compared, `sentAt` changes on every
 * retry). Instants are compared as instants, so "+01:00" and "Z" spellings of one time agree.
 */
export function hashView(event: CanonicalEvent): Record<string, unknown> {
  const { eventId: _key, sentAt: _sentAt, ...content } = event;
  const payload: Record<string, unknown> = { ...content.payload };
  if (content.type === 'POD_RECEIVED') {
    payload.signedAt = instantOf(content.payload.signedAt).toISOString();
  }
  if (content.type === 'DELIVERED' && content.payload.pod) {
    const pod = content.payload.pod;
    payload.pod = { ...pod, signedAt: instantOf(pod.signedAt).toISOString() };
  }

  return { ...content, occurredAt: instantOf(content.occurredAt).toISOString(), payload };
}

/** sha256 (hex) of the event's canonical content, to tell a retry from a conflicting reuse. */
export function payloadHash(event: CanonicalEvent): string {
  return createHash('sha256')
    .update(canonicalJson(hashView(event)))
    .digest('hex');
}
