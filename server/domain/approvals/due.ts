import { addBusinessMinutes, type BusinessCalendarSpec } from '../../lib/business-time';

// An approval is due two business hours after it was asked for, in the business calendar of
// the shipment's site: a request raised at 17:00 on a Friday at a site open 08:00-18:00 on
// weekdays is due at 09:00 on Monday, and a round-the-clock site's two hours later.

export const APPROVAL_DUE_BUSINESS_MINUTES = 120;

export function approvalDueAt(calendar: BusinessCalendarSpec, requestedAt: Date): Date {
  return addBusinessMinutes(calendar, requestedAt, APPROVAL_DUE_BUSINESS_MINUTES);
}
