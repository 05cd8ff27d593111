import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../server/db/client';
import { openException } from '../../server/domain/exceptions/open-exception';
import { createOrg, dispatchException, type Org } from './org-fixture';

// Assignment within the owning team among active members on shift: round robin or least
// loaded per team, team leads kept for escalation, shift calendars in the site's time zone.
// Los Angeles site, 08:00-17:00 weekdays; Monday 2030-12-09. Dates lie in 2030 so that no other
// test file draining the shared queue ever finds these timers due.

const db = createPrisma(process.env.DATABASE_URL, 10);
afterAll(() => db.$disconnect());

/** Monday 2030-12-09 at `hour` PST (UTC-8), or a later day. */
const pst = (hour: number, day = 9) => new Date(Date.UTC(2030, 11, day, hour + 8));

async function assigneeOf(org: Org, now: Date) {
  const { id } = await db.$transaction((tx) =>
    openException(tx, dispatchException(org, 'MEDIUM'), { now }),
  );

  return (await db.exception.findUniqueOrThrow({ where: { id } })).assigneeId;
}

describe('assignment', () => {
  it('takes turns among the members, never the lead, and tells the assignee', async () => {
    const org = await createOrg(db);
    const { member1, member2 } = org.users;
    const [first, second] = [member1, member2].sort();

    const picks = [
      await assigneeOf(org, pst(9)),
      await assigneeOf(org, pst(9)),
      await assigneeOf(org, pst(9)),
    ];

    expect(picks).toEqual([first, second, first]);
    const inbox = await db.notification.findMany({
      where: { userId: first, kind: 'EXCEPTION_ASSIGNED' },
    });
    expect(inbox).toHaveLength(2);
  });

  it('does not wait for a concurrent opening in the same team, and takes the next turn', async () => {
    const org = await createOrg(db);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let first: string | null | undefined;
    const holder = db.$transaction(
      async (tx) => {
        const { id } = await openException(tx, dispatchException(org, 'MEDIUM'), { now: pst(9) });
        first = (await tx.exception.findUniqueOrThrow({ where: { id } })).assigneeId;
        await held; // keeps the team's cursor locked
      },
      { timeout: 20_000 },
    );
    while (first === undefined) await new Promise((resolve) => setTimeout(resolve, 10));

    const second = await assigneeOf(org, pst(9));
    release();
    await holder;

    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
  });

  it('skips inactive users', async () => {
    const org = await createOrg(db);
    await db.user.update({ where: { id: org.users.member2 }, data: { active: false } });

    expect([await assigneeOf(org, pst(9)), await assigneeOf(org, pst(9))]).toEqual([
      org.users.member1,
      org.users.member1,
    ]);
  });

  it('gives the least loaded member the next one when the team says so', async () => {
    const org = await createOrg(db);
    await db.teamAssignmentSetting.create({
      data: { teamId: org.teams.DISPATCH, strategy: 'LEAST_LOADED' },
    });
    const { member1, member2 } = org.users;
    await db.user.update({ where: { id: member2 }, data: { active: false } });
    await assigneeOf(org, pst(9));
    await assigneeOf(org, pst(9));
    await db.user.update({ where: { id: member2 }, data: { active: true } });

    // member1 holds two open exceptions: member2 gets the next two, then turns resume.
    const picks = [await assigneeOf(org, pst(10)), await assigneeOf(org, pst(10))];
    expect(picks).toEqual([member2, member2]);
    expect([member1, member2]).toContain(await assigneeOf(org, pst(10)));
  });

  it('picks among those on shift, overnight shifts included, else who is on at the opening', async () => {
    const org = await createOrg(db);
    const { member1, member2 } = org.users;
    await db.shift.createMany({
      data: [
        {
          teamId: org.teams.DISPATCH,
          userId: member1,
          weekday: 1,
          startMinute: 360,
          endMinute: 840,
        },
        {
          teamId: org.teams.DISPATCH,
          userId: member2,
          weekday: 1,
          startMinute: 840,
          endMinute: 120,
        },
        {
          teamId: org.teams.DISPATCH,
          userId: member1,
          weekday: 2,
          startMinute: 480,
          endMinute: 960,
        },
      ],
    });

    expect(await assigneeOf(org, pst(10))).toBe(member1);
    expect(await assigneeOf(org, pst(15))).toBe(member2);
    // Tuesday 01:00 is still Monday's late shift.
    expect(await assigneeOf(org, pst(1, 10))).toBe(member2);
    // Tuesday 03:00: nobody on; the site opens at 08:00, when member1 is.
    expect(await assigneeOf(org, pst(3, 10))).toBe(member1);
    // Wednesday 03:00: nobody on now or at the opening.
    expect(await assigneeOf(org, pst(3, 11))).toBeNull();
  });
});
