import type { Severity, SlaUnit } from '../../db/generated/enums';
import {
  addBusinessDays,
  addBusinessMinutes,
  type BusinessCalendarSpec,
} from '../../lib/business-time';

// SLA targets and the due times they give in the owning site's business calendar. A target of
// days is business days (same wall time on the next working day), one of minutes is business
// minutes. Pausing (WAITING) pushes both due times by the business minutes spent waiting.

export interface SlaTarget {
  value: number;
  unit: SlaUnit;
}

export interface SlaTargets {
  firstResponse: SlaTarget;
  resolution: SlaTarget;
  /** Business minutes between the ladder's later levels once the resolution is due. */
  stepMinutes: number;
}

/**
 * Used when no SLA policy matches the exception's type and severity: an exception that nobody
 * times is one nobody escalates. Admins override them with sla_policies rows.
 */
export const DEFAULT_TARGETS: Record<Severity, SlaTargets> = {
  CRITICAL: {
    firstResponse: { value: 15, unit: 'BUSINESS_MINUTES' },
    resolution: { value: 240, unit: 'BUSINESS_MINUTES' },
    stepMinutes: 30,
  },
  HIGH: {
    firstResponse: { value: 60, unit: 'BUSINESS_MINUTES' },
    resolution: { value: 480, unit: 'BUSINESS_MINUTES' },
    stepMinutes: 60,
  },
  MEDIUM: {
    firstResponse: { value: 240, unit: 'BUSINESS_MINUTES' },
    resolution: { value: 2, unit: 'BUSINESS_DAYS' },
    stepMinutes: 120,
  },
  LOW: {
    firstResponse: { value: 1, unit: 'BUSINESS_DAYS' },
    resolution: { value: 5, unit: 'BUSINESS_DAYS' },
    stepMinutes: 240,
  },
};

export interface PolicyTargets {
  firstResponseValue: number;
  firstResponseUnit: SlaUnit;
  resolutionValue: number;
  resolutionUnit: SlaUnit;
  escalationStepMinutes: number;
}

export function targetsOf(policy: PolicyTargets | null, severity: Severity): SlaTargets {
  if (!policy) return DEFAULT_TARGETS[severity];

  return {
    firstResponse: { value: policy.firstResponseValue, unit: policy.firstResponseUnit },
    resolution: { value: policy.resolutionValue, unit: policy.resolutionUnit },
    stepMinutes: Math.max(1, policy.escalationStepMinutes),
  };
}

/**
 * When `target` has passed since `start`. A target below one unit counts as one, so that a due
 * time is always at least a business minute after the clock started: an exception opened a
 * second ago can never be breached.
 */
export function dueAfter(spec: BusinessCalendarSpec, start: Date, target: SlaTarget): Date {
  const value = Math.max(1, Math.round(target.value));

  return target.unit === 'BUSINESS_DAYS'
    ? addBusinessDays(spec, start, value)
    : addBusinessMinutes(spec, start, value);
}

export interface ClockStart {
  startedAt: Date;
  pausedMinutes: number;
}

/** Both due times of a clock that started at `startedAt` and has been paused `pausedMinutes`. */
export function dueTimes(
  spec: BusinessCalendarSpec,
  clock: ClockStart,
  targets: SlaTargets,
): { firstResponseDueAt: Date; resolutionDueAt: Date } {
  const push = (due: Date) => addBusinessMinutes(spec, due, Math.max(0, clock.pausedMinutes));

  return {
    firstResponseDueAt: push(dueAfter(spec, clock.startedAt, targets.firstResponse)),
    resolutionDueAt: push(dueAfter(spec, clock.startedAt, targets.resolution)),
  };
}
