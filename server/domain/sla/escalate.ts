import type { Db } from '../../db/client';
import { lockException } from './clock';
import { fireDueLevels, type FireOutcome } from './fire';

// One exception's escalation, now: under its row lock, fire every level due and not fired in
// this cycle, then set its timer for the next one (fire.ts). The sweep does the same for every
// due timer at once; this is for one exception (the per-exception job of earlier versions, and
// anything that wants an exception's ladder brought up to date). A run for an exception that
// was acknowledged, paused, resolved or re-timed finds nothing due and only re-sets its timer.

export type EscalationOutcome = FireOutcome;

export async function runEscalation(
  db: Db,
  exceptionId: string,
  now: Date = new Date(),
): Promise<EscalationOutcome> {
  return db.$transaction(async (tx) => {
    await lockException(tx, exceptionId);
    const outcomes = await fireDueLevels(tx, [exceptionId], now);

    return outcomes.get(exceptionId) ?? { fired: [], nextAt: null };
  });
}
