import type { Tx } from '../../db/client';
import { nextOpen } from '../../lib/business-time';
import type { SiteCalendar } from '../sla/calendar';
import { chooseAssignee, isOnShift } from './assignment-rules';
import { ACTIVE_STATUSES } from './status-machine';

// Picks the assignee of a new exception among the owning team's active members on shift now;
// when nobody is (a night at a day site), among those on shift when the site next opens, so the
// exception waits with the person who will pick it up. Team leads and site managers take part
// only when a team has no plain members: they are the ladder's later levels.
//
// Round robin keeps its cursor in the team's settings row. Moving it takes a per-team advisory
// lock, held until commit, that others never wait for (pg_try_advisory_xact_lock): waiting would
// chain unrelated shipments' transactions behind one another and, with two teams taken in
// opposite orders, deadlock them. Only the holder writes the row, so nobody waits on its insert
// either. A transaction that finds the lock taken reads the committed cursor and takes the turn
// after the one being taken, leaving the cursor to the holder: under contention round robin is
// close, not exact.

export async function pickAssignee(
  tx: Tx,
  teamId: string,
  calendar: SiteCalendar,
  now: Date,
): Promise<string | null> {
  const members = await tx.user.findMany({
    where: { teamId, active: true },
    select: { id: true, level: true },
  });
  if (members.length === 0) return null;
  const plain = members.filter((m) => m.level === 'MEMBER');
  const pool = (plain.length > 0 ? plain : members).map((m) => m.id);
  const shifts = await tx.shift.findMany({
    where: { teamId },
    select: { userId: true, weekday: true, startMinute: true, endMinute: true },
  });
  const onShiftAt = (at: Date) => pool.filter((id) => isOnShift(id, shifts, calendar.spec, at));
  let candidates = onShiftAt(now);
  if (candidates.length === 0) candidates = onShiftAt(nextOpen(calendar.spec, now));
  if (candidates.length === 0) return null;

  return takeTurn(tx, teamId, candidates);
}

async function takeTurn(tx: Tx, teamId: string, candidates: string[]): Promise<string | null> {
  const [lock] = await tx.$queryRaw<{ held: boolean }[]>`
    SELECT pg_try_advisory_xact_lock(hashtextextended(${`assign:${teamId}`}, 0)) AS held`;
  const held = lock?.held === true;
  const cursor = await tx.teamAssignmentSetting.findUnique({
    where: { teamId },
    select: { strategy: true, lastAssigneeId: true },
  });
  const strategy = cursor?.strategy ?? 'ROUND_ROBIN';
  const chosen = chooseAssignee({
    strategy,
    candidates,
    lastAssigneeId: cursor?.lastAssigneeId ?? null,
    load: strategy === 'LEAST_LOADED' ? await loadOf(tx, candidates) : undefined,
    skip: held ? 0 : 1,
  });
  if (chosen && held) {
    await tx.teamAssignmentSetting.upsert({
      where: { teamId },
      create: { teamId, lastAssigneeId: chosen },
      update: { lastAssigneeId: chosen },
    });
  }

  return chosen;
}

async function loadOf(tx: Tx, userIds: string[]): Promise<Map<string, number>> {
  const rows = await tx.exception.groupBy({
    by: ['assigneeId'],
    where: { assigneeId: { in: userIds }, status: { in: [...ACTIVE_STATUSES] } },
    _count: { _all: true },
  });

  return new Map(rows.map((r) => [r.assigneeId!, r._count._all]));
}
