import type { Tx } from '../../db/client';
import type { NotificationKind } from '../../db/generated/enums';
import { enqueueMany } from '../../jobs/enqueue';
import { notificationId, type NotificationSubject } from './notification-id';

// Writes inbox rows and enqueues their e-mail copies in the caller's transaction, so that a
// notification exists exactly when the change that caused it committed. A row whose id exists
// already (the same subject announced again) is skipped, and so is its e-mail.

export const EMAIL_TASK = 'send_notification_email';

export interface NewNotification extends NotificationSubject {
  kind: NotificationKind;
  title: string;
  body: string;
  link?: string | null;
}

export async function notify(tx: Tx, notes: readonly NewNotification[]): Promise<string[]> {
  if (notes.length === 0) return [];
  const rows = notes.map((n) => ({
    id: notificationId(n),
    userId: n.userId,
    kind: n.kind,
    title: n.title.slice(0, 300),
    body: n.body,
    link: n.link ?? null,
    exceptionId: n.exceptionId ?? null,
    approvalRequestId: n.approvalRequestId ?? null,
  }));
  const created = await tx.notification.createManyAndReturn({
    data: rows,
    skipDuplicates: true,
    select: { id: true },
  });
  await enqueueMany(
    tx,
    EMAIL_TASK,
    created.map(({ id }) => ({ payload: { notificationId: id }, jobKey: `${EMAIL_TASK}:${id}` })),
  );

  return created.map((c) => c.id);
}
