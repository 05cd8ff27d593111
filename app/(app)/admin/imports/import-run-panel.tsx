'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/client';
import { Panel } from '@/components/ui/panel';
import type { ImportPreview } from '@/server/domain/imports/preview';
import { formatBytes } from './upload-types';

// One import: its preview until confirmed, then its progress (polled while it runs), its counts
// and its row errors, the whole list downloadable as CSV.

const RUNNING = new Set(['QUEUED', 'RUNNING']);
const KIND_LABEL = { ORDERS: 'orders', INVENTORY: 'inventory', BIN_LOCATIONS: 'bin locations' };

export function ImportRunPanel({ runId, earlier }: { runId: string; earlier?: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const run = useQuery(
    trpc.imports.get.queryOptions(
      { runId },
      { refetchInterval: (q) => (q.state.data && RUNNING.has(q.state.data.status) ? 1000 : false) },
    ),
  );
  const confirm = useMutation(
    trpc.imports.confirm.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.imports.get.queryKey({ runId }) });
        void queryClient.invalidateQueries({ queryKey: trpc.imports.uploads.queryKey() });
      },
    }),
  );
  const done = run.data?.status === 'COMPLETED' || run.data?.status === 'FAILED';
  const errors = useQuery(
    trpc.imports.errors.queryOptions(
      { runId, limit: 100 },
      { enabled: done && (run.data?.rowsRejected ?? 0) > 0 },
    ),
  );

  if (run.error)
    return (
      <p role="alert" className="text-red-700">
        {run.error.message}
      </p>
    );
  if (!run.data) return <p className="text-slate-500">Loading import…</p>;
  const r = run.data;
  const percent = r.sizeBytes ? Math.floor((r.processedBytes / r.sizeBytes) * 100) : 100;

  return (
    <Panel
      title={`Import of ${KIND_LABEL[r.kind]}: ${r.fileName}`}
      aside={
        <span className="text-slate-500">
          {formatBytes(r.sizeBytes)} · {r.status}
        </span>
      }
    >
      {earlier && r.status === 'PREVIEWED' && (
        <p className="mb-2 rounded bg-amber-50 px-2 py-1 text-amber-900">
          This file was imported before; importing it again changes nothing that is already in
          place.
        </p>
      )}
      {r.status === 'PREVIEWED' ? (
        <>
          <PreviewView preview={r.preview} />
          {confirm.error && (
            <p role="alert" className="mt-2 text-red-700">
              {confirm.error.message}
            </p>
          )}
          <button
            type="button"
            disabled={r.preview.problems.length > 0 || confirm.isPending}
            onClick={() => confirm.mutate({ runId })}
            className="mt-3 rounded bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-60"
          >
            Confirm import
          </button>
        </>
      ) : (
        <div className="space-y-2">
          <div
            role="progressbar"
            aria-label="Import progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="h-3 w-full overflow-hidden rounded bg-slate-200"
          >
            <div className="h-full bg-sky-600 transition-all" style={{ width: `${percent}%` }} />
          </div>
          <p>
            <span className="font-mono">{percent}%</span> · {r.rowsProcessed} rows read ·{' '}
            <span>{r.rowsImported} imported</span> · <span>{r.rowsUnchanged} unchanged</span> ·{' '}
            <span>{r.rowsRejected} rejected</span>
          </p>
          {r.failure && (
            <p role="alert" className="text-red-700">
              The import failed: {r.failure}
            </p>
          )}
          {done && r.rowsRejected > 0 && (
            <>
              <a
                href={`/api/admin/imports/${runId}/errors`}
                className="inline-block font-medium text-sky-700 hover:underline"
              >
                Download all row errors (CSV)
              </a>
              <ErrorList errors={errors.data ?? []} />
            </>
          )}
        </div>
      )}
    </Panel>
  );
}

function PreviewView({ preview }: { preview: ImportPreview }) {
  const errorCount = preview.rows.reduce((n, row) => n + (row.errors.length ? 1 : 0), 0);

  return (
    <div className="space-y-3">
      {preview.warnings.length > 0 && (
        <ul aria-label="Ignored columns" className="list-disc pl-5 text-amber-800">
          {preview.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {preview.problems.length > 0 && (
        <ul role="alert" className="list-disc pl-5 text-red-700">
          {preview.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <table aria-label="Column mapping" className="text-left">
        <thead className="text-slate-500">
          <tr>
            <th className="pr-4">File column</th>
            <th>Read as</th>
          </tr>
        </thead>
        <tbody>
          {preview.columns.map((c) => (
            <tr key={c.index}>
              <td className="pr-4 font-mono">{c.header}</td>
              <td className={c.column ? '' : c.repeat ? 'text-red-700' : 'text-amber-800'}>
                {c.column ?? c.problem}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.missing.some((m) => !m.required) && (
        <p className="text-slate-500">
          Not in the file (optional):{' '}
          {preview.missing
            .filter((m) => !m.required)
            .map((m) => m.name)
            .join(', ')}
        </p>
      )}
      <p>
        First {preview.rows.length} rows{preview.moreRows ? ' of more' : ''}: {errorCount} with
        errors.
      </p>
      <div className="max-h-96 overflow-auto">
        <table aria-label="Preview rows" className="w-full text-left font-mono text-xs">
          <thead className="sticky top-0 bg-white text-slate-500">
            <tr>
              <th className="pr-2">Line</th>
              {preview.columns.map((c) => (
                <th key={c.index} className="pr-2">
                  {c.column ?? c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => {
              const bad = new Set(row.errors.map((e) => e.column));
              return (
                <tr key={row.line} className={row.errors.length ? 'bg-red-50' : ''}>
                  <td className="pr-2">{row.line}</td>
                  {preview.columns.map((c) => (
                    <td
                      key={c.index}
                      className={`pr-2 ${c.column && bad.has(c.column) ? 'text-red-700 underline' : ''}`}
                    >
                      {row.fields[c.index] ?? ''}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ErrorList errors={preview.rows.flatMap((r) => r.errors)} />
    </div>
  );
}

interface ShownError {
  line: number;
  column: string | null;
  value: string | null;
  reason: string;
}

function ErrorList({ errors }: { errors: ShownError[] }) {
  if (errors.length === 0) return null;

  return (
    <ul aria-label="Row errors" className="space-y-0.5 text-red-800">
      {errors.map((e, i) => (
        <li key={`${e.line}-${i}`}>
          Line {e.line}
          {e.column ? `, ${e.column}` : ''}
          {e.value ? ` ("${e.value}")` : ''}: {e.reason}
        </li>
      ))}
    </ul>
  );
}
