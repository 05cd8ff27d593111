'use client';

import { Panel } from '@/components/ui/panel';
import type { DocumentUpload } from '@/server/domain/imports/upload-document';

// The processing result of an uploaded X12 interchange or EPCIS document, as the partner API
// answers it: events accepted, duplicate, rejected or held back, and for X12 the 997.

function EventCounts({
  events,
}: {
  events: { accepted: number; duplicates: number; rejected: number; heldBack: string[] };
}) {
  return (
    <p>
      Events: {events.accepted} accepted · {events.duplicates} duplicate · {events.rejected}{' '}
      rejected
      {events.heldBack.length > 0 &&
        ` · ${events.heldBack.length} held back by unmatched references`}
    </p>
  );
}

export function DocumentResult({ upload }: { upload: DocumentUpload }) {
  if (upload.format === 'EPCIS') {
    const a = upload.answer;
    return (
      <Panel title="EPCIS document processed">
        <EventCounts events={a.events} />
        {a.unresolved.length > 0 && (
          <p className="text-amber-800">
            Unmatched: {a.unresolved.map((u) => `${u.kind} ${u.value}`).join(', ')}
          </p>
        )}
      </Panel>
    );
  }

  return (
    <Panel title="X12 interchange processed">
      <div className="space-y-3">
        {upload.answer.interchanges.map((i) => (
          <section key={i.documentId} aria-label={`Interchange ${i.key}`} className="space-y-1">
            <h3 className="font-medium">
              Interchange {i.key}{' '}
              {i.duplicate && (
                <span className="text-slate-500">(already received: first answer repeated)</span>
              )}
            </h3>
            {'events' in i && <EventCounts events={i.events} />}
            {'envelope' in i &&
              i.envelope.sets.map((s) => (
                <p key={`${s.groupControlNumber}-${s.controlNumber}`}>
                  {s.type} {s.controlNumber}: {s.status}
                  {s.faults.length > 0 && ` (${s.faults.map((f) => JSON.stringify(f)).join('; ')})`}
                </p>
              ))}
            {'ack997' in i && i.ack997 && (
              <>
                <h4 className="text-slate-600">997 acknowledgement</h4>
                <pre
                  aria-label="997 acknowledgement"
                  className="overflow-auto rounded bg-slate-50 p-2 text-xs"
                >
                  {i.ack997}
                </pre>
              </>
            )}
          </section>
        ))}
      </div>
    </Panel>
  );
}
