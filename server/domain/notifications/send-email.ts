import type { Db } from '../../db/client';
import { enqueueMany } from '../../jobs/enqueue';
import { logger } from '../../lib/logger';
import { appUrl, mailFrom, mailTransport, type MailTransport } from './mailer';
import { messageIdOf } from './notification-id';
import { EMAIL_TASK } from './notify';

// The e-mail copy of an inbox row, sent by a job. Sent at least once: a crash between sending
// and marking it sent sends it again with the same Message-ID, which receivers drop.

const log = logger('notification-email');

export type EmailOutcome = 'sent' | 'already_sent' | 'missing' | 'inactive_user';

export async function sendNotificationEmail(
  db: Db,
  id: string,
  transport: MailTransport = mailTransport(),
): Promise<EmailOutcome> {
  const n = await db.notification.findUnique({
    where: { id },
    include: { user: { select: { email: true, name: true, active: true } } },
  });
  if (!n) return 'missing';
  if (n.emailedAt) return 'already_sent';
  if (!n.user.active) return 'inactive_user';
  const messageId = messageIdOf(n.id);
  const link = n.link ? appUrl(n.link) : null;
  await transport.transporter.sendMail({
    from: mailFrom(),
    to: { name: n.user.name, address: n.user.email },
    subject: n.title,
    text: link ? `${n.body}\n\n${link}\n` : `${n.body}\n`,
    messageId,
    headers: { 'X-Notification-Id': n.id },
  });
  await db.notification.updateMany({
    where: { id: n.id, emailedAt: null },
    data: { emailedAt: new Date() },
  });
  if (transport.dryRun)
    log.info({ notificationId: n.id, messageId }, 'e-mail rendered (no SMTP_URL)');
  else log.debug({ notificationId: n.id, messageId }, 'e-mail sent');

  return 'sent';
}

/**
 * The e-mail copies of many notifications, one after the other. A copy that fails is handed to
 * a job of its own (its own retries, its own failure), so that one bad address never holds back
 * the others; those sent already are skipped if this job runs again.
 */
export async function sendNotificationEmails(
  db: Db,
  ids: readonly string[],
  transport: MailTransport = mailTransport(),
): Promise<{ sent: number; handedOff: number }> {
  let sent = 0;
  const failed: string[] = [];
  for (const id of ids) {
    try {
      if ((await sendNotificationEmail(db, id, transport)) === 'sent') sent += 1;
    } catch (error) {
      log.warn({ notificationId: id, err: error }, 'e-mail failed; retried by a job of its own');
      failed.push(id);
    }
  }
  if (failed.length > 0) {
    await db.$transaction((tx) =>
      enqueueMany(
        tx,
        EMAIL_TASK,
        failed.map((id) => ({ payload: { notificationId: id }, jobKey: `${EMAIL_TASK}:${id}` })),
      ),
    );
  }

  return { sent, handedOff: failed.length };
}
