import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../server/db/client';
import { openException, resolveByFacts } from '../../server/domain/exceptions/open-exception';
import {
  acknowledgeException,
  closeException,
  reopenException,
  resolveException,
  resumeException,
  waitOnException,
} from '../../server/domain/exceptions/transitions';
import { runEscalation } from '../../server/domain/sla/escalate';
import { createOrg, dispatchException, timerOf, type Org } from './org-fixture';

// Status changes as services: each audited in its own transaction, each moving or cancelling
// the escalation timer. Los Angeles, 08:00-17:00 on weekdays; a HIGH exception opened Monday
// 2030-12-09 09:00 PST has its first response due 10:00 and its resolution due 17:00, which is
// the close, so Tuesday 08:00; the later levels follow an hour apart.
// Dates lie in 2030 so that no other test file draining the shared queue ever finds these
// timers due.

const db = createPrisma(process.env.DATABASE_URL, 10);
afterAll(() => db.$disconnect());

const at = (iso: string) => new Date(iso);
const OPENED = at('2030-12-09T17:00:00Z');
const FIRST_RESPONSE_DUE = at('2030-12-09T18:00:00Z');
const RESOLUTION_DUE = at('2030-12-10T16:00:00Z');

async function openAt(org: Org, now = OPENED) {
  const { id } = await db.$transaction((tx) =>
    openException(tx, dispatchException(org, 'HIGH'), { now }),
  );

  return db.exception.findUniqueOrThrow({ where: { id } });
}

const as = (userId: string) => ({ type: 'USER' as const, userId, requestId: 'req-test' });

describe('acknowledge', () => {
  it('moves the timer past the first level, so the pending escalation never fires', async () => {
    const org = await createOrg(db);
    const e = await openAt(org);
    expect(e.firstResponseDueAt).toEqual(FIRST_RESPONSE_DUE);
    expect(e.resolutionDueAt).toEqual(RESOLUTION_DUE);
    expect((await timerOf(db, e.id))?.dueAt).toEqual(FIRST_RESPONSE_DUE);
    expect([org.users.member1, org.users.member2]).toContain(e.assigneeId);

    const acked = await acknowledgeException(db, {
      exceptionId: e.id,
      actor: as(e.assigneeId!),
      now: at('2030-12-09T17:30:00Z'),
    });

    expect(acked.status).toBe('ACKNOWLEDGED');
    expect(acked.nextEscalationAt).toEqual(RESOLUTION_DUE);
    expect((await timerOf(db, e.id))?.dueAt).toEqual(RESOLUTION_DUE);
    // The old timer's moment comes: nothing is due any more.
    expect((await runEscalation(db, e.id, at('2030-12-09T18:01:00Z'))).fired).toEqual([]);
    expect(await db.exceptionEscalation.count({ where: { exceptionId: e.id } })).toBe(0);
    const audit = await db.auditLog.findFirstOrThrow({
      where: { entityId: e.id, action: 'exception.acknowledged' },
    });
    expect(audit).toMatchObject({
      actorType: 'USER',
      actorId: e.assigneeId,
      requestId: 'req-test',
    });
    expect(audit.data).toMatchObject({ from: 'OPEN', to: 'ACKNOWLEDGED' });
  });

  it('records a breach when the first response comes late', async () => {
    const org = await createOrg(db);
    const e = await openAt(org);
    await acknowledgeException(db, {
      exceptionId: e.id,
      actor: { type: 'SYSTEM' },
      now: at('2030-12-09T18:30:00Z'),
    });
    const breaches = await db.slaBreach.findMany({ where: { exceptionId: e.id } });
    expect(breaches.map((b) => [b.kind, b.dueAt])).toEqual([
      ['FIRST_RESPONSE', FIRST_RESPONSE_DUE],
    ]);
  });
});

describe('waiting', () => {
  it('pauses the clock and cancels the timer; resuming pushes the due times by the pause', async () => {
    const org = await createOrg(db);
    const e = await openAt(org);

    const waiting = await waitOnException(db, {
      exceptionId: e.id,
      actor: as(e.assigneeId!),
      reason: 'carrier to confirm a truck',
      now: at('2030-12-09T17:30:00Z'), // 09:30 PST
    });
    expect(waiting.nextEscalationAt).toBeNull();
    expect(await timerOf(db, e.id)).toBeNull();
    expect((await runEscalation(db, e.id, at('2030-12-12T00:00:00Z'))).fired).toEqual([]);

    // Resumed 16:30 PST: seven business hours stood still.
    const resumed = await resumeException(db, {
      exceptionId: e.id,
      actor: as(e.assigneeId!),
      now: at('2030-12-10T00:30:00Z'),
    });
    const row = await db.exception.findUniqueOrThrow({ where: { id: e.id } });
    expect(row.pausedMinutes).toBe(420);
    expect(row.status).toBe('ACKNOWLEDGED');
    expect(resumed.resolutionDueAt).toEqual(at('2030-12-10T23:00:00Z')); // Tuesday 15:00 PST
    expect((await timerOf(db, e.id))?.dueAt).toEqual(resumed.resolutionDueAt);
  });
});

describe('resolve, close and reopen', () => {
  it('resolves with a code and note, recording a late resolution, and ends the timer', async () => {
    const org = await createOrg(db);
    const e = await openAt(org);
    await expect(
      resolveException(db, {
        exceptionId: e.id,
        actor: { type: 'SYSTEM' },
        resolutionCode: 'X',
        note: ' ',
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    await resolveException(db, {
      exceptionId: e.id,
      actor: as(org.users.lead),
      resolutionCode: 'TRUCK_ADDED',
      note: 'Second truck booked',
      now: at('2030-12-10T17:00:00Z'),
    });
    const row = await db.exception.findUniqueOrThrow({ where: { id: e.id } });
    expect(row).toMatchObject({
      status: 'RESOLVED',
      resolutionCode: 'TRUCK_ADDED',
      nextEscalationAt: null,
    });
    expect(await timerOf(db, e.id)).toBeNull();
    const kinds = (await db.slaBreach.findMany({ where: { exceptionId: e.id } })).map(
      (b) => b.kind,
    );
    expect(kinds.sort()).toEqual(['RESOLUTION']);

    await closeException(db, { exceptionId: e.id, actor: as(org.users.lead) });
    await expect(
      reopenException(db, { exceptionId: e.id, actor: as(org.users.lead), reason: 'again' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('reopens as rework: the count goes up and clocks and ladder start again', async () => {
    const org = await createOrg(db);
    const e = await openAt(org);
    expect((await runEscalation(db, e.id, FIRST_RESPONSE_DUE)).fired).toEqual([1]);
    await resolveException(db, {
      exceptionId: e.id,
      actor: { type: 'SYSTEM' },
      resolutionCode: 'FIXED',
      note: 'fixed',
      now: at('2030-12-09T19:00:00Z'),
    });

    const reopenedAt = at('2030-12-09T20:00:00Z'); // 12:00 PST
    const reopened = await reopenException(db, {
      exceptionId: e.id,
      actor: as(e.assigneeId!),
      reason: 'the truck did not come',
      now: reopenedAt,
    });
    expect(reopened).toMatchObject({ status: 'OPEN', reworkCount: 1 });
    expect(reopened.firstResponseDueAt).toEqual(at('2030-12-09T21:00:00Z'));
    const fired = await runEscalation(db, e.id, at('2030-12-09T21:00:00Z'));
    expect(fired.fired).toEqual([1]);
    const levels = await db.exceptionEscalation.findMany({
      where: { exceptionId: e.id },
      orderBy: { cycle: 'asc' },
    });
    expect(levels.map((l) => [l.cycle, l.level])).toEqual([
      [0, 1],
      [1, 1],
    ]);
    const notes = await db.notification.findMany({
      where: { exceptionId: e.id, kind: 'EXCEPTION_ESCALATED' },
    });
    expect(new Set(notes.map((n) => n.id)).size).toBe(2);
  });
});

describe('resolved by facts', () => {
  it('cancels the timers of everything it resolves', async () => {
    const org = await createOrg(db);
    const [a, b] = [await openAt(org), await openAt(org)];
    expect(await timerOf(db, a.id)).not.toBeNull();

    await db.$transaction((tx) => resolveByFacts(tx, [a.dedupeKey!, b.dedupeKey!], 'trip booked'));

    expect(await timerOf(db, a.id)).toBeNull();
    expect(await timerOf(db, b.id)).toBeNull();
    const rows = await db.exception.findMany({ where: { id: { in: [a.id, b.id] } } });
    expect(rows.map((r) => [r.status, r.nextEscalationAt])).toEqual([
      ['RESOLVED', null],
      ['RESOLVED', null],
    ]);
  });
});

describe('who may act', () => {
  it('refuses an outsider, and lets whoever it escalated to act whatever their role', async () => {
    const org = await createOrg(db);
    const e = await openAt(org);
    const tryAck = (userId: string) =>
      acknowledgeException(db, { exceptionId: e.id, actor: as(userId), now: OPENED });

    await expect(tryAck(org.users.outsider)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(tryAck(org.users.exec)).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const fired = await runEscalation(db, e.id, at('2030-12-10T18:00:00Z'));
    expect(fired.fired).toEqual([1, 2, 3, 4]);
    await expect(tryAck(org.users.exec)).resolves.toMatchObject({ status: 'ACKNOWLEDGED' });
  });
});
