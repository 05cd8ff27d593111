'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/client';
import { formatUtc } from '@/components/ui/format';
import { Panel } from '@/components/ui/panel';

// Past uploads of every format, newest first, with their results; a CSV import opens its panel.

function summaryOf(result: unknown): string {
  if (!result || typeof result !== 'object') return '—';
  const r = result as Record<string, unknown>;
  if (typeof r.rowsProcessed === 'number') {
    return `${r.rowsImported} imported · ${r.rowsUnchanged} unchanged · ${r.rowsRejected} rejected`;
  }
  const events = (r.events ?? r) as Record<string, unknown>;
  if (typeof events.accepted === 'number') {
    return `${events.accepted} accepted · ${events.duplicates} duplicate · ${events.rejected} rejected`;
  }

  return 'processed';
}

export function UploadHistory({ onOpen }: { onOpen: (runId: string) => void }) {
  const trpc = useTRPC();
  const uploads = useQuery(trpc.imports.uploads.queryOptions(undefined, { refetchInterval: 5000 }));

  if (uploads.error)
    return (
      <p role="alert" className="text-red-700">
        {uploads.error.message}
      </p>
    );

  return (
    <Panel
      title="Past uploads"
      aside={<span className="text-slate-500">{uploads.data?.length ?? '…'}</span>}
    >
      <table aria-label="Past uploads" className="w-full text-left">
        <thead className="text-slate-500">
          <tr>
            <th>Received</th>
            <th>Partner</th>
            <th>Format</th>
            <th>File</th>
            <th>Status</th>
            <th>Result</th>
            <th>Events</th>
          </tr>
        </thead>
        <tbody>
          {uploads.data?.map((u) => {
            const run = u.importRun;
            return (
              <tr key={u.id} className="border-t border-slate-100">
                <td className="whitespace-nowrap pr-2">{formatUtc(u.receivedAt)}</td>
                <td className="pr-2">{u.partner?.code ?? '—'}</td>
                <td className="pr-2">{run ? `CSV ${run.kind.toLowerCase()}` : u.format}</td>
                <td className="pr-2 font-mono text-xs">
                  {run ? (
                    <button
                      type="button"
                      onClick={() => onOpen(run.id)}
                      className="text-sky-700 hover:underline"
                    >
                      {run.fileName}
                    </button>
                  ) : (
                    (u.controlRef ?? '—')
                  )}
                </td>
                <td className="pr-2">{run?.status ?? 'PROCESSED'}</td>
                <td className="pr-2">{run && !run.finishedAt ? '—' : summaryOf(u.result)}</td>
                <td>{u.eventCount}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Panel>
  );
}
