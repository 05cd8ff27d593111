import type { Tx } from '../../db/client';
import type { BreachKind } from '../../db/generated/enums';

// Every due time that passed before its milestone is a row, once per due time: the ladder's
// timer records it when it fires, and a late acknowledgement or resolution records it too in
// case the timer had not run yet (a worker behind, or down).

export interface Breach {
  exceptionId: string;
  cycle: number;
  kind: BreachKind;
  dueAt: Date;
}

/**
 * Records each breach once (a repeat of one is skipped); one statement however many. `at` is
 * when it was recorded, the transaction's start by default.
 */
export async function recordBreaches(
  tx: Tx,
  breaches: readonly Breach[],
  at?: Date,
): Promise<number> {
  if (breaches.length === 0) return 0;
  const rows = breaches.map((b) => ({
    exception_id: b.exceptionId,
    cycle: b.cycle,
    kind: b.kind,
    due_at: b.dueAt,
  }));

  return tx.$executeRaw`
    INSERT INTO sla_breaches (id, exception_id, cycle, kind, due_at, recorded_at)
    SELECT gen_random_uuid(), r.exception_id, r.cycle, r.kind, r.due_at,
      coalesce(${at?.toISOString() ?? null}::timestamptz, now())
    FROM json_to_recordset(${JSON.stringify(rows)}::json)
      AS r(exception_id uuid, cycle int, kind "BreachKind", due_at timestamptz)
    ON CONFLICT DO NOTHING`;
}

/** The breach a milestone reached at `at` makes of its due time, if late. */
export function lateMilestone(
  exception: { id: string; reworkCount: number },
  kind: BreachKind,
  dueAt: Date | null,
  at: Date,
): Breach[] {
  if (!dueAt || at.getTime() <= dueAt.getTime()) return [];

  return [{ exceptionId: exception.id, cycle: exception.reworkCount, kind, dueAt }];
}
