'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { Panel } from '@/components/ui/panel';
import type { AppRouter } from '@/server/api/root';
import { formatDay, parseClosures, parseDay, WEEKDAYS, type Interval } from './hours-text';

type Calendar = inferRouterOutputs<AppRouter>['calendars']['list'][number];

const FIELD = 'rounded border border-slate-300 px-2 py-0.5 text-sm';
const BUTTON = 'rounded border border-slate-300 bg-white px-2 py-1 text-sm hover:bg-slate-50';

function closuresText(calendar: Calendar): string {
  return calendar.closures
    .map((c) => `${new Date(c.date).toISOString().slice(0, 10)} ${c.name}`)
    .join('\n');
}

function useSave() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();

  return useMutation(
    trpc.calendars.save.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.calendars.list.queryKey() }),
    }),
  );
}

function CalendarForm({ calendar }: { calendar: Calendar }) {
  const save = useSave();
  const [alwaysOpen, setAlwaysOpen] = useState(calendar.alwaysOpen);
  const [days, setDays] = useState(WEEKDAYS.map((_, d) => formatDay(calendar.workingHours, d)));
  const [country, setCountry] = useState(calendar.holidayCountry ?? '');
  const [state, setState] = useState(calendar.holidayState ?? '');
  const [region, setRegion] = useState(calendar.holidayRegion ?? '');
  const [closures, setClosures] = useState(closuresText(calendar));
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const hours: Interval[] = [];
    for (const [weekday, text] of days.entries()) {
      const parsed = parseDay(text, weekday);
      if (typeof parsed === 'string') return setProblem(parsed);
      hours.push(...parsed);
    }
    const closed = parseClosures(closures);
    if (typeof closed === 'string') return setProblem(closed);
    setProblem(null);
    save.mutate({
      calendarId: calendar.id,
      alwaysOpen,
      holidayCountry: country.trim() || null,
      holidayState: state.trim() || null,
      holidayRegion: region.trim() || null,
      workingHours: hours,
      closures: closed,
    });
  };

  return (
    <form onSubmit={submit} className="space-y-3" aria-label={`Calendar ${calendar.code}`}>
      <p className="text-slate-600">
        Time zone <span className="font-mono">{calendar.timeZone}</span> · used by{' '}
        {calendar.sites.map((s) => s.code).join(', ') || 'no site'} · version {calendar.version}
      </p>
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={alwaysOpen}
          onChange={(e) => setAlwaysOpen(e.target.checked)}
        />
        Open round the clock (working hours and holidays are ignored)
      </label>
      <fieldset className="grid grid-cols-[8rem_1fr] items-center gap-x-3 gap-y-1">
        <legend className="mb-1 font-medium">
          Working hours (local, e.g. 08:00-12:00, 13:00-18:00)
        </legend>
        {WEEKDAYS.map((name, d) => (
          <label key={name} className="contents">
            <span className="text-slate-600">{name}</span>
            <input
              aria-label={`${name} hours`}
              className={FIELD}
              placeholder="closed"
              value={days[d]}
              onChange={(e) => setDays(days.map((v, i) => (i === d ? e.target.value : v)))}
            />
          </label>
        ))}
      </fieldset>
      <fieldset className="flex flex-wrap items-center gap-2">
        <legend className="mb-1 font-medium">Public holidays</legend>
        <input
          aria-label="Holiday country"
          className={FIELD}
          placeholder="country, e.g. US"
          value={country}
          onChange={(e) => setCountry(e.target.value)}
        />
        <input
          aria-label="Holiday state"
          className={FIELD}
          placeholder="state, e.g. CA"
          value={state}
          onChange={(e) => setState(e.target.value)}
        />
        <input
          aria-label="Holiday region"
          className={FIELD}
          placeholder="region"
          value={region}
          onChange={(e) => setRegion(e.target.value)}
        />
      </fieldset>
      <label className="block">
        <span className="font-medium">Closures (one a line: 2026-12-24 Christmas Eve)</span>
        <textarea
          aria-label="Closures"
          className={`${FIELD} mt-1 block h-24 w-full font-mono`}
          value={closures}
          onChange={(e) => setClosures(e.target.value)}
        />
      </label>
      <div className="flex items-center gap-3">
        <button type="submit" className={BUTTON} disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save and move timers'}
        </button>
        {save.isSuccess ? (
          <span role="status" className="text-emerald-700">
            Saved: version {save.data.calendarVersion}, {save.data.exceptions} open exception
            {save.data.exceptions === 1 ? '' : 's'} re-timed.
          </span>
        ) : null}
      </div>
      {(problem ?? (save.isError ? save.error.message : null)) ? (
        <p role="alert" className="text-rose-700">
          {problem ?? save.error?.message}
        </p>
      ) : null}
    </form>
  );
}

export function CalendarsAdmin() {
  const trpc = useTRPC();
  const list = useQuery(trpc.calendars.list.queryOptions());
  const [openId, setOpenId] = useState<string | null>(null);
  if (list.isError)
    return (
      <p role="alert" className="text-rose-700">
        {list.error.message}
      </p>
    );
  if (!list.data) return <p className="text-slate-500">Loading…</p>;

  return (
    <div className="space-y-4">
      {list.data.map((c) => (
        <Panel
          key={c.id}
          title={`${c.code} · ${c.name}`}
          aside={
            <button
              type="button"
              className={BUTTON}
              onClick={() => setOpenId(openId === c.id ? null : c.id)}
            >
              {openId === c.id ? 'Close' : 'Edit'}
            </button>
          }
        >
          {openId === c.id ? (
            <CalendarForm key={c.id} calendar={c} />
          ) : (
            <p className="text-slate-600">
              {c.alwaysOpen
                ? 'Open round the clock'
                : WEEKDAYS.map(
                    (d, i) => `${d.slice(0, 3)} ${formatDay(c.workingHours, i) || 'closed'}`,
                  ).join(' · ')}
              {c.holidayCountry
                ? ` · holidays ${[c.holidayCountry, c.holidayState, c.holidayRegion].filter(Boolean).join('-')}`
                : ''}
              {c.closures.length > 0 ? ` · ${c.closures.length} closures` : ''} · sites{' '}
              {c.sites.map((s) => s.code).join(', ') || 'none'}
            </p>
          )}
        </Panel>
      ))}
    </div>
  );
}
