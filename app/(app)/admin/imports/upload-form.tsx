'use client';

import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc/client';
import {
  formatBytes,
  sizeLimitOf,
  UPLOAD_CHOICES,
  type UploadAnswer,
  type UploadChoice,
} from './upload-types';

// Picks a partner, what the file is and the file; sends the file itself as the request body.

async function send(
  partnerId: string,
  choice: UploadChoice,
  site: string,
  file: File,
): Promise<UploadAnswer> {
  const [format, kind] = choice.split(':');
  const params = new URLSearchParams({ partnerId, format: format! });
  if (kind) params.set('kind', kind);
  if (kind && site) params.set('site', site);
  params.set('fileName', file.name);
  const response = await fetch(`/api/admin/uploads?${params}`, {
    method: 'POST',
    headers: { 'content-type': file.type || 'application/octet-stream' },
    body: file,
  });
  const body = (await response.json().catch(() => null)) as
    (UploadAnswer & { reason?: undefined }) | { reason?: string } | null;
  if (!response.ok) {
    throw new Error(
      body && 'reason' in body && body.reason ? body.reason : `upload failed (${response.status})`,
    );
  }

  return body as UploadAnswer;
}

export function UploadForm({
  onUploaded,
  csvOnly,
}: {
  onUploaded: (answer: UploadAnswer) => void;
  csvOnly: boolean;
}) {
  const trpc = useTRPC();
  const partners = useQuery(trpc.imports.partners.queryOptions());
  const sites = useQuery(trpc.imports.sites.queryOptions());
  const [site, setSite] = useState('');
  const [partnerId, setPartnerId] = useState('');
  const [choice, setChoice] = useState<UploadChoice>('CSV:ORDERS');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (!file) return setError('Choose a file first.');
    if (file.size > sizeLimitOf(choice)) {
      return setError(
        `The file is ${formatBytes(file.size)}; at most ${formatBytes(sizeLimitOf(choice))} may be uploaded as this kind.`,
      );
    }
    setBusy(true);
    try {
      onUploaded(await send(partnerId, choice, site, file));
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const field = 'w-full rounded border border-slate-300 bg-white px-2 py-1';

  return (
    <form
      onSubmit={onSubmit}
      aria-label="Upload a file"
      className="grid gap-3 md:grid-cols-5 md:items-end"
    >
      <label className="block">
        <span className="mb-1 block text-slate-600">Partner</span>
        <select
          required
          value={partnerId}
          onChange={(e) => setPartnerId(e.target.value)}
          className={field}
        >
          <option value="">Choose a partner…</option>
          {partners.data?.map((p) => (
            <option key={p.id} value={p.id}>
              {p.code} — {p.name}
            </option>
          ))}
        </select>
      </label>
      <label className="block">
        <span className="mb-1 block text-slate-600">File kind</span>
        <select
          value={choice}
          onChange={(e) => setChoice(e.target.value as UploadChoice)}
          className={field}
        >
          {UPLOAD_CHOICES.filter((c) => !csvOnly || c.value.startsWith('CSV')).map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      {choice.startsWith('CSV') && (
        <label className="block">
          <span className="mb-1 block text-slate-600">Site of every row</span>
          <select value={site} onChange={(e) => setSite(e.target.value)} className={field}>
            <option value="">From the file&apos;s site column</option>
            {sites.data?.map((s) => (
              <option key={s.code} value={s.code}>
                {s.code} — {s.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="block">
        <span className="mb-1 block text-slate-600">File</span>
        <input
          type="file"
          required
          accept={choice.startsWith('CSV') ? '.csv,text/csv' : undefined}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          className={field}
        />
      </label>
      <button
        type="submit"
        disabled={busy}
        className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-60"
      >
        {busy ? 'Uploading…' : 'Upload'}
      </button>
      {error && (
        <p role="alert" className="text-red-700 md:col-span-5">
          {error}
        </p>
      )}
    </form>
  );
}
