// Display formats. Times are stored in UTC and shown in the site's time zone.

export function formatInZone(value: Date | null | undefined, timeZone: string): string {
  if (!value) return '—';

  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(value);
}

export function formatUtc(value: Date | null | undefined): string {
  return formatInZone(value, 'UTC');
}
