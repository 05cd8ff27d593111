import type { BreachKind, ExceptionStatus } from '../../db/generated/enums';
import { addBusinessMinutes, type BusinessCalendarSpec } from '../../lib/business-time';

// The escalation ladder as a function of the exception's clock. Each level has a due time:
//   1 the assignee        when the first response is due and nobody acknowledged it
//   2 the team's lead     when the resolution is due
//   3 the site manager    one escalation step (business minutes) after that
//   4 an executive        two steps after it
// Only OPEN and ACKNOWLEDGED exceptions climb it: WAITING pauses the clock, RESOLVED and CLOSED
// end it. Every due time is a business-time result, so it is an open moment of the calendar: a
// level due during a holiday is due at the next working moment.

export const LEVELS = [1, 2, 3, 4] as const;
export type Level = (typeof LEVELS)[number];

export interface LadderInput {
  status: ExceptionStatus;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  stepMinutes: number;
}

export interface LadderStep {
  level: Level;
  dueAt: Date;
  /** The due time whose passing this level records as a breach. */
  breach: BreachKind | null;
}

export function ladderSteps(spec: BusinessCalendarSpec, input: LadderInput): LadderStep[] {
  if (input.status !== 'OPEN' && input.status !== 'ACKNOWLEDGED') return [];
  const steps: LadderStep[] = [];
  if (input.status === 'OPEN' && input.firstResponseDueAt) {
    steps.push({ level: 1, dueAt: input.firstResponseDueAt, breach: 'FIRST_RESPONSE' });
  }
  const resolution = input.resolutionDueAt;
  if (resolution) {
    const step = Math.max(1, input.stepMinutes);
    steps.push(
      { level: 2, dueAt: resolution, breach: 'RESOLUTION' },
      { level: 3, dueAt: addBusinessMinutes(spec, resolution, step), breach: null },
      { level: 4, dueAt: addBusinessMinutes(spec, resolution, 2 * step), breach: null },
    );
  }

  return steps.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.level - b.level);
}

export interface EscalationPlan {
  /** Levels not fired yet whose due time has come, in order. */
  due: LadderStep[];
  /** The earliest level still ahead, for the timer; null when the ladder is done. */
  next: LadderStep | null;
}

export function escalationPlan(
  spec: BusinessCalendarSpec,
  input: LadderInput,
  fired: ReadonlySet<number>,
  now: Date,
): EscalationPlan {
  return planOf(ladderSteps(spec, input), fired, now);
}

/** The plan over steps already worked out (a sweep works each ladder out once). */
export function planOf(
  steps: readonly LadderStep[],
  fired: ReadonlySet<number>,
  now: Date,
): EscalationPlan {
  const pending = steps.filter((s) => !fired.has(s.level));
  const due = pending.filter((s) => s.dueAt.getTime() <= now.getTime());
  const next = pending.find((s) => s.dueAt.getTime() > now.getTime()) ?? null;

  return { due, next };
}
