import type { DeliveryFilter } from './types';

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES = new Set(['PENDING', 'DELIVERED', 'DEAD', 'CANCELLED']);

/** The filter a link opens with (?subscription=, ?status=, ?topic=); anything else is ignored. */
export function initialFilter(
  params: Record<string, string | string[] | undefined>,
): DeliveryFilter {
  const one = (name: string) => {
    const value = params[name];

    return typeof value === 'string' ? value : undefined;
  };
  const subscription = one('subscription');
  const status = one('status');

  return {
    limit: 50,
    ...(subscription && UUID.test(subscription) ? { subscriptionId: subscription } : {}),
    ...(status && STATUSES.has(status) ? { status: status as DeliveryFilter['status'] } : {}),
    ...(one('topic') ? { topic: one('topic') } : {}),
  };
}
