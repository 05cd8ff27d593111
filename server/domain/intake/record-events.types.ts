import type { EventSource, EventType } from '../../db/generated/enums';
import type { EventIssue } from '../events/schema';

/**
 * Who records events: a partner key's principal (PartnerPrincipal fits as it is), or the UI
 * acting for a user, with `partnerId` null and the user's sites as `siteCodes`.
 */
export interface IntakeActor {
  partnerId: string | null;
  siteCodes: ReadonlySet<string>;
  eventTypes: ReadonlySet<EventType>;
  /** The API key that sent the events, named in their audit rows. */
  keyId?: string;
}

export interface RecordOptions {
  /** SEED is the seed's own bulk path, never a way in for outside events. */
  source: Exclude<EventSource, 'SEED'>;
  /** The person who recorded it by hand (source UI), the actor of its audit row. */
  userId?: string;
  /** The inbound document (EDI, EPCIS, CSV) the events were read from. */
  documentId?: string;
  requestId?: string;
}

/** What the first delivery of an eventId was answered; only accepted events are ever stored. */
export interface FirstOutcome {
  status: 'accepted';
  id: string;
  receivedAt: string;
}

export type ItemAnswer =
  | { index: number; eventId: string; status: 'accepted'; id: string; receivedAt: string }
  | { index: number; eventId: string; status: 'duplicate'; id: string; firstOutcome: FirstOutcome }
  | { index: number; eventId: string | null; status: 'rejected'; issues: EventIssue[] };

export type ItemStatus = ItemAnswer['status'];

export interface IntakeSummary {
  results: ItemAnswer[];
  accepted: number;
  duplicates: number;
  rejected: number;
}
