import type { Tx } from '../../db/client';
import type { ExceptionType, Severity } from '../../db/generated/enums';
import { loadSiteCalendar, type SiteCalendar } from './calendar';
import { pickSlaPolicy } from './clock';
import { escalationPlan } from './ladder';
import type { NextTimer } from './schedule';
import { dueTimes, targetsOf, type SlaTargets } from './targets';

// The clock of an exception about to be opened: its policy (the shipment's customer's own
// first), its due times in the owning site's calendar from `now`, and when its timer is due.

export interface PlannedClock {
  policyId: string | null;
  calendar: SiteCalendar;
  targets: SlaTargets;
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  nextEscalationAt: Date | null;
  /** The timer to set: the first level and when it is due. */
  nextTimer: NextTimer | null;
}

export async function planClock(
  tx: Tx,
  subject: { type: ExceptionType; severity: Severity; shipmentId: string | null; siteId: string },
  now: Date,
): Promise<PlannedClock> {
  const shipment = subject.shipmentId
    ? await tx.shipment.findUnique({
        where: { id: subject.shipmentId },
        select: { customerId: true },
      })
    : null;
  const policy = await pickSlaPolicy(tx, {
    type: subject.type,
    severity: subject.severity,
    customerId: shipment?.customerId ?? null,
  });
  const calendar = await loadSiteCalendar(tx, subject.siteId);
  const targets = targetsOf(policy, subject.severity);
  const due = dueTimes(calendar.spec, { startedAt: now, pausedMinutes: 0 }, targets);
  const plan = escalationPlan(
    calendar.spec,
    { status: 'OPEN', ...due, stepMinutes: targets.stepMinutes },
    new Set(),
    now,
  );

  return {
    policyId: policy?.id ?? null,
    calendar,
    targets,
    ...due,
    nextEscalationAt: plan.next?.dueAt ?? null,
    nextTimer: plan.next ? { level: plan.next.level, dueAt: plan.next.dueAt } : null,
  };
}
