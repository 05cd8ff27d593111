const TONES: Record<string, string> = {
  HELD: 'bg-amber-100 text-amber-900',
  READY: 'bg-emerald-100 text-emerald-900',
  DELIVERED: 'bg-sky-100 text-sky-900',
  POD_RECEIVED: 'bg-sky-100 text-sky-900',
  INVOICED: 'bg-violet-100 text-violet-900',
  CANCELLED: 'bg-slate-200 text-slate-600 line-through',
  PASS: 'bg-emerald-100 text-emerald-900',
  HOLD: 'bg-amber-100 text-amber-900',
  BOOKED: 'bg-emerald-100 text-emerald-900',
  OPEN: 'bg-rose-100 text-rose-900',
  RESOLVED: 'bg-slate-100 text-slate-500',
  PENDING: 'bg-amber-100 text-amber-900',
};

export function StatusBadge({ status }: { status: string }) {
  const tone = TONES[status] ?? 'bg-slate-100 text-slate-800';

  return (
    <span className={`inline-block rounded px-1.5 py-0.5 font-mono text-xs ${tone}`}>
      {status.replaceAll('_', ' ')}
    </span>
  );
}
