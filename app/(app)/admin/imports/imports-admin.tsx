'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { Panel } from '@/components/ui/panel';
import type { DocumentUpload } from '@/server/domain/imports/upload-document';
import { DocumentResult } from './document-result';
import { ImportRunPanel } from './import-run-panel';
import { UploadForm } from './upload-form';
import { UploadHistory } from './upload-history';
import type { UploadAnswer } from './upload-types';

/** `csvOnly`: the warehouse supervisor's page, where X12 and EPCIS are not offered. */
export function ImportsAdmin({ csvOnly = false }: { csvOnly?: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [run, setRun] = useState<{ id: string; earlier: string | null } | null>(null);
  const [document, setDocument] = useState<DocumentUpload | null>(null);

  function onUploaded(answer: UploadAnswer) {
    void queryClient.invalidateQueries({ queryKey: trpc.imports.uploads.queryKey() });
    if (answer.format === 'CSV') {
      setDocument(null);
      setRun({ id: answer.runId, earlier: answer.earlier?.runId ?? null });
    } else {
      setRun(null);
      setDocument(answer);
    }
  }

  return (
    <div className="space-y-4">
      <Panel title="Upload">
        <UploadForm onUploaded={onUploaded} csvOnly={csvOnly} />
        <p className="mt-2 text-slate-500">
          CSV files are previewed first and imported once confirmed; X12 and EPCIS documents are
          processed at once, as the partner API processes them.
        </p>
      </Panel>
      {run && <ImportRunPanel key={run.id} runId={run.id} earlier={run.earlier} />}
      {document && <DocumentResult upload={document} />}
      <UploadHistory
        onOpen={(id) => {
          setDocument(null);
          setRun({ id, earlier: null });
        }}
      />
    </div>
  );
}
