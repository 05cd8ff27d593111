import { runOnce } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../server/db/client';
import { openException } from '../../server/domain/exceptions/open-exception';
import { DEFAULT_SITE_SETTING } from '../../server/domain/exceptions/owning-site';
import { recordFailedJob } from '../../server/jobs/failed-job';
import { acknowledgeException } from '../../server/domain/exceptions/transitions';
import { runEscalation } from '../../server/domain/sla/escalate';
import { recalculateForCalendar } from '../../server/domain/sla/recalculate';
import { ESCALATE_TASK } from '../../server/domain/sla/schedule';
import { messageIdOf } from '../../server/domain/notifications/notification-id';
import { queueLogger } from '../../server/jobs/queue-logger';
import { createTaskList } from '../../server/jobs/tasks';
import { createMigratedDatabase, dropDatabase } from '../setup/test-database';
import { startMailCatcher, type MailCatcher } from './mail-catcher';
import { createOrg, dispatchException, timerOf } from './org-fixture';

// The ladder through the real queue, in a database of this file's own (it runs jobs): each
// level fires once to its people however often the job runs or the worker restarts; every
// notification reaches the inbox and, through SMTP, a mail catcher with a Message-ID derived
// from the notification's id; a calendar change moves the timer.

let url: string;
let db: Db;
let mail: MailCatcher;

beforeAll(async () => {
  url = await createMigratedDatabase(process.env.CT_ADMIN_DATABASE_URL!, 'ct_escalation');
  db = createPrisma(url, 10);
  mail = await startMailCatcher();
  // Read by the mail adapter when the e-mail job runs; this test file runs in its own process.
  process.env.SMTP_URL = mail.url;
});

afterAll(async () => {
  await db?.$disconnect();
  await mail?.stop();
  if (url) await dropDatabase(process.env.CT_ADMIN_DATABASE_URL!, url);
});

const HOUR = 3_600_000;

/** A worker that starts, runs every job due, and stops: one "restart" per call. */
async function runWorker() {
  for (let round = 0; round < 5; round += 1) {
    await runOnce({ connectionString: url, taskList: createTaskList(db), logger: queueLogger });
    const [row] = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM graphile_worker.jobs
      WHERE run_at <= now() AND attempts < max_attempts AND locked_at IS NULL`;
    if (Number(row?.n ?? 0) === 0) return;
  }
}

describe('an exception with no site of its own', () => {
  it('belongs to the admin team of the configured default site', async () => {
    const org = await createOrg(db);
    await db.setting.create({ data: { key: DEFAULT_SITE_SETTING, value: org.siteCode } });
    await recordFailedJob(db, {
      task: 'deliver_outbox',
      jobId: '42',
      payload: { id: 'message-1' },
      error: new Error('receiver down'),
    });

    const e = await db.exception.findFirstOrThrow({
      where: { dedupeKey: 'job:deliver_outbox:42' },
    });
    expect(e).toMatchObject({ type: 'FAILED_JOB', siteId: org.siteId, teamId: org.teams.ADMIN });
    expect(e.resolutionDueAt).not.toBeNull();
    await db.setting.delete({ where: { key: DEFAULT_SITE_SETTING } });
  });
});

describe('the escalation ladder through the queue', () => {
  it('fires each level once, to its people, however often the job runs', async () => {
    const org = await createOrg(db, { alwaysOpen: true, timeZone: 'America/New_York' });
    // Opened ten hours ago round the clock: every level is past due.
    const { id } = await db.$transaction((tx) =>
      openException(tx, dispatchException(org, 'HIGH'), { now: new Date(Date.now() - 10 * HOUR) }),
    );

    await runWorker();
    // The same job delivered again (as the per-exception job of earlier versions), then a
    // restarted worker, then two runs racing.
    await db.$executeRaw`SELECT graphile_worker.add_job(${ESCALATE_TASK}::text,
      json_build_object('exceptionId', ${id}::text), job_key := ${`${ESCALATE_TASK}:${id}`}::text)`;
    await runWorker();
    const racing = await Promise.all([runEscalation(db, id), runEscalation(db, id)]);

    expect(racing.flatMap((r) => r.fired)).toEqual([]);
    const levels = await db.exceptionEscalation.findMany({
      where: { exceptionId: id },
      orderBy: { level: 'asc' },
    });
    const e = await db.exception.findUniqueOrThrow({ where: { id } });
    expect(levels.map((l) => [l.level, l.recipientIds])).toEqual([
      [1, [e.assigneeId]],
      [2, [org.users.lead]],
      [3, [org.users.manager]],
      [4, [org.users.exec]],
    ]);
    expect(e).toMatchObject({ escalationLevel: 4, nextEscalationAt: null });
    const breaches = await db.slaBreach.findMany({ where: { exceptionId: id } });
    expect(breaches.map((b) => b.kind).sort()).toEqual(['FIRST_RESPONSE', 'RESOLUTION']);
    const notes = await db.notification.findMany({ where: { exceptionId: id } });
    expect(notes).toHaveLength(5); // assigned, then one per level
    expect(notes.every((n) => n.emailedAt !== null)).toBe(true);
    const audits = await db.auditLog.count({
      where: { entityId: id, action: 'exception.escalated' },
    });
    expect(audits).toBe(4);

    const mails = mail.received.filter((m) => notes.some((n) => m.messageId === messageIdOf(n.id)));
    expect(mails).toHaveLength(5);
    const lead = notes.find((n) => n.userId === org.users.lead)!;
    const leadMail = mails.find((m) => m.messageId === messageIdOf(lead.id))!;
    expect(leadMail.headers.get('x-notification-id')).toBe(lead.id);
    expect(leadMail.subject).toBe(lead.title);
    expect(leadMail.text).toContain(`/exceptions/${id}`);
  });

  it('sends a repeat with the same Message-ID, so that the receiver can drop it', async () => {
    const org = await createOrg(db, { alwaysOpen: true, timeZone: 'America/New_York' });
    const { id } = await db.$transaction((tx) =>
      openException(tx, dispatchException(org, 'HIGH'), { now: new Date() }),
    );
    await runWorker();
    const note = await db.notification.findFirstOrThrow({ where: { exceptionId: id } });
    // A worker that crashed after sending but before marking it sent.
    await db.notification.update({ where: { id: note.id }, data: { emailedAt: null } });
    await db.$executeRaw`SELECT graphile_worker.add_job('send_notification_email'::text,
      json_build_object('notificationId', ${note.id}::text))`;
    await runWorker();

    const copies = mail.received.filter((m) => m.messageId === messageIdOf(note.id));
    expect(copies).toHaveLength(2);
    expect(await db.notification.count({ where: { exceptionId: id } })).toBe(1);
  });

  it('moves the timer when the site’s calendar changes', async () => {
    const org = await createOrg(db, { timeZone: 'America/Los_Angeles' });
    // Monday 2030-12-09 09:00 PST; acknowledged, so the next level is the resolution's.
    const { id } = await db.$transaction((tx) =>
      openException(tx, dispatchException(org, 'HIGH'), {
        now: new Date('2030-12-09T17:00:00Z'),
      }),
    );
    await acknowledgeException(db, {
      exceptionId: id,
      actor: { type: 'SYSTEM' },
      now: new Date('2030-12-09T17:10:00Z'),
    });
    expect((await timerOf(db, id))?.dueAt).toEqual(new Date('2030-12-10T16:00:00Z'));

    // Tuesday becomes a closure: the resolution is due Wednesday 08:00 PST instead.
    await db.calendarClosure.create({
      data: {
        calendarId: org.calendarId,
        date: new Date('2030-12-10T00:00:00Z'),
        name: 'Stocktake',
      },
    });
    const outcome = await recalculateForCalendar(
      db,
      org.calendarId,
      new Date('2030-12-09T18:00:00Z'),
    );

    expect(outcome).toEqual({ calendarVersion: 2, exceptions: 1 });
    const e = await db.exception.findUniqueOrThrow({ where: { id } });
    expect(e.resolutionDueAt).toEqual(new Date('2030-12-11T16:00:00Z'));
    expect(e.nextEscalationAt).toEqual(e.resolutionDueAt);
    expect((await timerOf(db, id))?.dueAt).toEqual(e.resolutionDueAt);
  });
});
