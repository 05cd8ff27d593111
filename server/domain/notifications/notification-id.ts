import { createHash } from 'node:crypto';
import type { NotificationKind } from '../../db/generated/enums';

// A notification's id is derived from what it announces, so that announcing the same thing
// twice (a job run again, a worker restarted mid-way) gives the same id: the inbox insert is a
// no-op and the e-mail's Message-ID repeats, which lets a receiver drop the copy.

export interface NotificationSubject {
  kind: NotificationKind;
  userId: string;
  exceptionId?: string | null;
  approvalRequestId?: string | null;
  /** The exception's rework count: a reopened exception escalates afresh. */
  cycle?: number;
  level?: number;
}

/** A UUID (RFC 9562 version 8, name-based on SHA-256) of the subject's fields. */
export function notificationId(s: NotificationSubject): string {
  const name = [
    'ct-notification/1',
    s.kind,
    s.exceptionId ?? '',
    s.approvalRequestId ?? '',
    s.cycle ?? 0,
    s.level ?? 0,
    s.userId,
  ].join('|');
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');

  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const MESSAGE_ID_DOMAIN = 'notifications.control-tower';

/** The e-mail Message-ID of a notification: the same for every copy of it. */
export function messageIdOf(notificationId: string): string {
  return `<${notificationId}@${MESSAGE_ID_DOMAIN}>`;
}
