import type { ExceptionStatus } from '../../db/generated/enums';
import { AppError } from '../../lib/errors';

// The exception's life: OPEN -> ACKNOWLEDGED (first response) -> WAITING (on someone outside;
// the SLA clock pauses) -> back to ACKNOWLEDGED -> RESOLVED (code and note) -> CLOSED (final).
// A RESOLVED exception can be reopened, which counts as rework and restarts its clocks; a CLOSED
// one cannot: a problem seen again after closing is a new exception.

export type ExceptionAction = 'acknowledge' | 'wait' | 'resume' | 'resolve' | 'close' | 'reopen';

export const ACTIVE_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'WAITING'] as const;

const TRANSITIONS: Record<
  ExceptionAction,
  { from: readonly ExceptionStatus[]; to: ExceptionStatus }
> = {
  acknowledge: { from: ['OPEN'], to: 'ACKNOWLEDGED' },
  wait: { from: ['OPEN', 'ACKNOWLEDGED'], to: 'WAITING' },
  resume: { from: ['WAITING'], to: 'ACKNOWLEDGED' },
  resolve: { from: ['OPEN', 'ACKNOWLEDGED', 'WAITING'], to: 'RESOLVED' },
  close: { from: ['RESOLVED'], to: 'CLOSED' },
  reopen: { from: ['RESOLVED'], to: 'OPEN' },
};

export function canTransition(current: ExceptionStatus, action: ExceptionAction): boolean {
  return TRANSITIONS[action].from.includes(current);
}

/** The status after `action`, or a CONFLICT naming what is allowed. */
export function nextStatus(current: ExceptionStatus, action: ExceptionAction): ExceptionStatus {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(current)) {
    throw new AppError(
      'CONFLICT',
      `Cannot ${action} an exception that is ${current} (only from ${rule.from.join(', ')})`,
      { status: current, action },
    );
  }

  return rule.to;
}
