'use client';

import { useEffect, useState } from 'react';
import { formatInZone } from '../ui/format';
import type { ClockNow } from './types';

// The server computes the clocks in business time (slaStateOf); between refetches the countdown
// ticks by wall minutes only while the site's business clock runs, so it never runs ahead of
// the server's answer by more than one refetch. Minutes are counted from when the browser got
// the answer, so a browser clock set differently from the server's does not move them.

const TICK_MS = 15_000;

type Clock = NonNullable<ClockNow['sla']>['firstResponse'];

function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);

    return () => clearInterval(timer);
  }, []);

  return now;
}

export function formatMinutes(minutes: number): string {
  const m = Math.abs(minutes);
  const text = m >= 60 ? `${Math.floor(m / 60)}h ${m % 60}m` : `${m}m`;

  return minutes < 0 ? `${text} over` : `${text} left`;
}

interface LineProps {
  label: string;
  clock: Clock;
  dueToday: boolean;
  ticking: boolean;
  paused: boolean;
  receivedAt: number;
  timeZone: string;
  now: number;
}

function ClockLine(props: LineProps) {
  const { label, clock, dueToday, ticking, paused, receivedAt, now } = props;
  if (clock.metAt) {
    const tone = clock.breached ? 'text-rose-700' : 'text-emerald-700';

    return <span className={tone}>{`${label}: met${clock.breached ? ' late' : ''}`}</span>;
  }
  if (clock.remainingMinutes === null) return <span className="text-slate-400">{label}: —</span>;
  const elapsed = ticking ? Math.floor((now - receivedAt) / 60_000) : 0;
  const left = clock.remainingMinutes - Math.max(0, elapsed);
  const breached = clock.breached || left < 0;
  const tone = breached ? 'font-semibold text-rose-700' : 'text-slate-700';

  return (
    <span
      className={tone}
      data-sla-clock={label}
      data-breached={breached}
      title={`Due ${formatInZone(clock.dueAt, props.timeZone)}`}
    >
      {label}: {breached ? 'breached, ' : ''}
      {formatMinutes(left)}
      {paused ? ' (paused)' : ''}
      {dueToday && !breached ? (
        <span className="ml-1 rounded bg-amber-100 px-1 text-xs text-amber-900">due today</span>
      ) : null}
    </span>
  );
}

interface Props {
  clock: ClockNow;
  /** When the browser received the clock (the query's dataUpdatedAt), in its own milliseconds. */
  receivedAt: number;
  /** The site's zone, for the due time shown on hover. */
  timeZone: string;
}

export function SlaCountdown({ clock, receivedAt, timeZone }: Props) {
  const now = useNow();
  if (!clock.sla) return <span className="text-slate-400">No SLA</span>;
  const common = { ticking: clock.ticking, paused: clock.sla.paused, receivedAt, timeZone, now };

  return (
    <span className="flex flex-col text-xs" data-testid="sla-countdown">
      <ClockLine
        label="Response"
        clock={clock.sla.firstResponse}
        dueToday={clock.firstResponseDueToday}
        {...common}
      />
      <ClockLine
        label="Resolution"
        clock={clock.sla.resolution}
        dueToday={clock.resolutionDueToday}
        {...common}
      />
    </span>
  );
}
