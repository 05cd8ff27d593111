import { payloadHash } from '../events/canonical-json';
import { instantOf } from '../events/instant';
import {
  SITE_ONLY,
  type CanonicalEvent,
  type EventIssue,
  type EventResult,
} from '../events/schema';
import { correlationRef } from '../shipments/apply-job';
import type { IntakeActor, ItemAnswer } from './record-events.types';

// The part of intake that needs no database: which items the schema or the key's scope already
// rejected, and, among the rest, the first item of each eventId (the one that may be stored) and
// the later ones (answered against whatever row stands for that eventId once it is written).

export interface Candidate {
  index: number;
  event: CanonicalEvent;
  hash: string;
  /** `occurredAt` as an instant (ISO 8601, UTC), as it is stored. */
  occurredAt: string;
  /** The apply job's reference; null for an event recorded for its site alone. */
  ref: string | null;
}

export interface IntakePlan {
  rejected: ItemAnswer[];
  leaders: Candidate[];
  followers: Candidate[];
}

function scopeIssues(actor: IntakeActor, event: CanonicalEvent): EventIssue[] {
  const issues: EventIssue[] = [];
  if (!actor.siteCodes.has(event.site)) {
    issues.push({ path: 'site', reason: `site "${event.site}" is outside this key's sites` });
  }
  if (!actor.eventTypes.has(event.type)) {
    issues.push({ path: 'type', reason: `this key may not send ${event.type} events` });
  }

  return issues;
}

// PostgreSQL's jsonb holds no U+0000 and no unpaired surrogate; the schema lets both through in
// free text, and storing them would fail the whole batch with a 5xx instead of one item.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function storable(text: string): boolean {
  return !text.includes('\0') && !LONE_SURROGATE.test(text);
}

function unstorablePath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return storable(value) ? null : path;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    const found = unstorablePath(item, at);
    if (found !== null) return found;
  }

  return null;
}

/** Whether any string in `value` is unstorable: the common answer, found without any path. */
function holdsUnstorable(value: unknown): boolean {
  if (typeof value === 'string') return !storable(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsUnstorable);
  for (const key in value) {
    if (holdsUnstorable((value as Record<string, unknown>)[key])) return true;
  }

  return false;
}

function storabilityIssues(event: CanonicalEvent): EventIssue[] {
  if (!holdsUnstorable(event)) return [];
  const path = unstorablePath(event, '');
  if (path === null) return [];

  return [{ path, reason: 'must not contain NUL characters or unpaired UTF-16 surrogates' }];
}

function judge(actor: IntakeActor, result: EventResult, index: number): ItemAnswer | Candidate {
  if (!result.ok) {
    return { index, eventId: result.eventId, status: 'rejected', issues: result.issues };
  }
  const event = result.event;
  const issues = [...scopeIssues(actor, event), ...storabilityIssues(event)];
  if (issues.length) return { index, eventId: event.eventId, status: 'rejected', issues };

  const ref = SITE_ONLY.has(event.type) ? null : correlationRef(event);

  const occurredAt = instantOf(event.occurredAt).toISOString();

  return { index, event, hash: payloadHash(event), occurredAt, ref };
}

export function planIntake(actor: IntakeActor, results: readonly EventResult[]): IntakePlan {
  const plan: IntakePlan = { rejected: [], leaders: [], followers: [] };
  const led = new Set<string>();
  results.forEach((result, index) => {
    const judged = judge(actor, result, index);
    if ('status' in judged) {
      plan.rejected.push(judged);
    } else if (led.has(judged.event.eventId)) {
      plan.followers.push(judged);
    } else {
      led.add(judged.event.eventId);
      plan.leaders.push(judged);
    }
  });

  return plan;
}

/** The stored form of an event: the canonical event as parsed, without transport-only sentAt. */
export function storedPayload(event: CanonicalEvent): Omit<CanonicalEvent, 'sentAt'> {
  const { sentAt: _sentAt, ...stored } = event;

  return stored;
}
