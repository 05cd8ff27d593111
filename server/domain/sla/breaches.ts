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

export async function recordBreaches(tx: Tx, breaches: readonly Breach[]): Promise<number> {
  if (breaches.length === 0) return 0;
  const { count } = await tx.slaBreach.createMany({ data: [...breaches], skipDuplicates: true });

  return count;
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
