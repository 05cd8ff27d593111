import { decimal, MONEY_PLACES, roundMoney, type DecimalLike } from '@/server/lib/money';

// Display formats. Times are stored in UTC and shown in the site's time zone, as
// `2026-11-30 08:00 CST`: sortable, and unambiguous between day-first and month-first readers.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, formatter);
  }

  return formatter;
}

export function formatInZone(value: Date | null | undefined, timeZone: string): string {
  if (!value) return '—';
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(value)
      .map((part) => [part.type, part.value]),
  );

  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

export function formatUtc(value: Date | null | undefined): string {
  return formatInZone(value, 'UTC');
}

/** `1234.5` as `1,234.5`: thousands grouped in the integer part, the fraction left alone. */
function groupThousands(fixed: string): string {
  const [whole = '', fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/**
 * An amount as `1,234.50 USD`, rounded by the product's one money policy (half-even, cents).
 * Amounts arrive as Decimals and are never turned into floats on the way to the screen.
 */
export function formatMoney(amount: DecimalLike | null | undefined, currency: string): string {
  if (amount === null || amount === undefined) return '—';

  return `${groupThousands(roundMoney(amount).toFixed(MONEY_PLACES))} ${currency.trim()}`;
}

/** A measured quantity (weight, volume) as stored, trailing zeros dropped: `840.5`. */
export function formatQuantity(value: DecimalLike | null | undefined): string {
  if (value === null || value === undefined) return '—';

  return groupThousands(decimal(value).toFixed());
}

/** Used against capacity, as a whole percentage; null without a capacity. */
export function percentOfCapacity(used: DecimalLike, capacity: DecimalLike | null): number | null {
  if (capacity === null || decimal(capacity).isZero()) return null;

  return decimal(used).div(decimal(capacity)).times(100).toDecimalPlaces(0).toNumber();
}
