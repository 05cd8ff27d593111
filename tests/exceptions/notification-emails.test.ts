import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../server/db/client';
import { EMAIL_TASK, EMAILS_TASK, notify } from '../../server/domain/notifications/notify';
import { sendNotificationEmails } from '../../server/domain/notifications/send-email';
import { createOrg, jobOf } from './org-fixture';

// Many notifications written together are e-mailed by one job; a copy that fails in it is
// handed to a job of its own, and the others are sent all the same.

const db = createPrisma(process.env.DATABASE_URL, 10);
afterAll(() => db.$disconnect());

describe('e-mail copies of many notifications', () => {
  it('go in one job; one that fails gets its own job and holds back no other', async () => {
    const org = await createOrg(db);
    const users = [org.users.member1, org.users.member2, org.users.lead];
    const ids = await db.$transaction((tx) =>
      notify(
        tx,
        users.map((userId) => ({
          kind: 'EXCEPTION_ASSIGNED' as const,
          userId,
          approvalRequestId: null,
          title: `Batch ${org.suffix}`,
          body: 'Three at once.',
        })),
      ),
    );
    expect(ids).toHaveLength(3);
    // The queue's own table: its public view leaves payloads out.
    const [batch] = await db.$queryRaw<{ payload: { notificationIds: string[] } }[]>`
      SELECT j.payload FROM graphile_worker._private_jobs AS j
      JOIN graphile_worker._private_tasks AS t ON t.id = j.task_id
      WHERE t.identifier = ${EMAILS_TASK}
        AND j.payload::jsonb @> ${JSON.stringify({ notificationIds: [ids[0]] })}::jsonb`;
    expect(batch!.payload.notificationIds.sort()).toEqual([...ids].sort());

    const lead = await db.user.findUniqueOrThrow({ where: { id: org.users.lead } });
    const json = nodemailer.createTransport({ jsonTransport: true });
    const sent: string[] = [];
    const failing = {
      dryRun: true,
      transporter: {
        sendMail: async (mail: { to: { address: string } }) => {
          if (mail.to.address === lead.email) throw new Error('mailbox unavailable');
          sent.push(mail.to.address);

          return json.sendMail(mail);
        },
      },
    } as unknown as Parameters<typeof sendNotificationEmails>[2];

    expect(await sendNotificationEmails(db, ids, failing)).toEqual({ sent: 2, handedOff: 1 });
    const rows = await db.notification.findMany({ where: { id: { in: ids } } });
    expect(
      rows
        .filter((r) => r.emailedAt !== null)
        .map((r) => r.userId)
        .sort(),
    ).toEqual([org.users.member1, org.users.member2].sort());
    const failed = rows.find((r) => r.userId === org.users.lead)!;
    expect((await jobOf(db, `${EMAIL_TASK}:${failed.id}`))?.task).toBe(EMAIL_TASK);
    // Run again (the batch job retried): nothing is sent twice.
    expect(await sendNotificationEmails(db, ids, failing)).toEqual({ sent: 0, handedOff: 1 });
    expect(sent).toHaveLength(2);
  });
});
