import type { Tx } from '../../db/client';
import type { NotificationKind } from '../../db/generated/enums';
import { enqueue } from '../../jobs/enqueue';
import { notificationId, type NotificationSubject } from './notification-id';

// Writes inbox rows and enqueues their e-mail copies in the caller's transaction, so that a
// notification exists exactly when the change that caused it committed. A row whose id exists
// already (the same subject announced again) is skipped, and so is its e-mail.

export const EMAIL_TASK = 'send_notification_email';
/** The e-mail copies of many notifications written together, in one job. */
export const EMAILS_TASK = 'send_notification_emails';

export interface NewNotification extends NotificationSubject {
  kind: NotificationKind;
  title: string;
  body: string;
  link?: string | null;
}

export interface NotifyOptions {
  /** When the notifications were made; the transaction's start by default. */
  at?: Date;
}

export async function notify(
  tx: Tx,
  notes: readonly NewNotification[],
  opts: NotifyOptions = {},
): Promise<string[]> {
  if (notes.length === 0) return [];
  const rows = notes.map((n) => ({
    id: notificationId(n),
    user_id: n.userId,
    kind: n.kind,
    title: n.title.slice(0, 300),
    body: n.body,
    link: n.link ?? null,
    exception_id: n.exceptionId ?? null,
    approval_request_id: n.approvalRequestId ?? null,
  }));
  // One statement however many: a sweep of a thousand escalations tells a thousand people.
  const created = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO notifications
      (id, user_id, kind, title, body, link, exception_id, approval_request_id, created_at)
    SELECT r.id, r.user_id, r.kind, r.title, r.body, r.link, r.exception_id, r.approval_request_id,
      coalesce(${opts.at?.toISOString() ?? null}::timestamptz, now())
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS r(
      id uuid, user_id uuid, kind "NotificationKind", title text, body text, link text,
      exception_id uuid, approval_request_id uuid)
    ON CONFLICT (id) DO NOTHING
    RETURNING id`;
  const ids = created.map((c) => c.id);
  // One e-mail job for many: a sweep's thousand notifications would otherwise be a thousand jobs
  // the worker takes on while the sweep still fires. A copy that fails in it gets a job of its own.
  if (ids.length === 1) {
    await enqueue(
      tx,
      EMAIL_TASK,
      { notificationId: ids[0] },
      { jobKey: `${EMAIL_TASK}:${ids[0]}` },
    );
  } else if (ids.length > 1) {
    await enqueue(tx, EMAILS_TASK, { notificationIds: ids });
  }

  return ids;
}
