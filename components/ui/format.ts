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
