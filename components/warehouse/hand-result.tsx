'use client';

import type { HandRecordResult } from './floor-types';

// What the intake answered for the hand entry, item by item as it answers a partner.

export function HandResult({ result }: { result: HandRecordResult }) {
  const { answer } = result;
  const label = `${result.type.replaceAll('_', ' ')} for ${result.ref}`;
  if (answer.status === 'rejected') {
    return (
      <div
        role="status"
        aria-label="Result"
        data-result="rejected"
        className="rounded bg-rose-50 p-2 text-rose-900"
      >
        <p className="font-semibold">Rejected: {label}</p>
        <ul className="mt-1 list-disc pl-5 text-sm">
          {answer.issues.map((issue, i) => (
            <li key={i}>
              {issue.path ? <span className="font-mono text-xs">{issue.path}</span> : null}{' '}
              {issue.reason}
            </li>
          ))}
        </ul>
      </div>
    );
  }

  return (
    <div
      role="status"
      aria-label="Result"
      data-result={answer.status}
      className="rounded bg-emerald-50 p-2 text-emerald-900"
    >
      <p className="font-semibold">
        {answer.status === 'accepted' ? 'Accepted' : 'Already recorded'}: {label}
      </p>
      <p className="font-mono text-xs">{answer.eventId}</p>
    </div>
  );
}
