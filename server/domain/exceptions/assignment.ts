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
// The team's settings row is locked until commit so that two exceptions opened at once do not
// both go to the same person under round robin.

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
  await tx.$executeRaw`INSERT INTO team_assignment_settings (team_id, updated_at)
    VALUES (${teamId}::uuid, now()) ON CONFLICT (team_id) DO NOTHING`;
  const [setting] = await tx.$queryRaw<{ strategy: string; last: string | null }[]>`
    SELECT strategy::text AS strategy, last_assignee_id::text AS last
    FROM team_assignment_settings WHERE team_id = ${teamId}::uuid FOR UPDATE`;
  const strategy = setting?.strategy === 'LEAST_LOADED' ? 'LEAST_LOADED' : 'ROUND_ROBIN';
  const load = strategy === 'LEAST_LOADED' ? await loadOf(tx, candidates) : undefined;
  const chosen = chooseAssignee({
    strategy,
    candidates,
    lastAssigneeId: setting?.last ?? null,
    load,
  });
  if (chosen) {
    await tx.teamAssignmentSetting.update({
      where: { teamId },
      data: { lastAssigneeId: chosen },
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
