'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc/client';
import { formatUtc } from '../ui/format';
import { Panel } from '../ui/panel';
import { StatusBadge } from '../ui/status-badge';

// A shipment's rated charges, their adjustments, and a billing analyst's form to adjust one:
// at or below the currency's threshold it applies at once, above it waits for an approver.

const FIELD = 'rounded border border-slate-300 px-2 py-0.5 text-sm';
const BUTTON = 'rounded border border-slate-300 bg-white px-2 py-0.5 text-xs hover:bg-slate-50';

function AdjustForm({
  chargeId,
  code,
  onDone,
}: {
  chargeId: string;
  code: string;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const adjust = useMutation(trpc.approvals.adjustCharge.mutationOptions({ onSuccess: onDone }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    adjust.mutate({ chargeId, newAmount: amount, reason });
  };

  return (
    <form onSubmit={submit} className="mt-1 flex flex-wrap items-center gap-2">
      <input
        aria-label={`New amount for ${code}`}
        className={`${FIELD} w-32 font-mono`}
        placeholder="new amount"
        inputMode="decimal"
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
      />
      <input
        aria-label={`Adjustment reason for ${code}`}
        className={`${FIELD} min-w-64 flex-1`}
        placeholder="reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <button type="submit" className={BUTTON} disabled={adjust.isPending}>
        Adjust
      </button>
      {adjust.isSuccess ? (
        <span role="status" className="text-emerald-700">
          {adjust.data.status === 'APPLIED'
            ? 'Applied.'
            : 'Above the threshold: waiting for approval.'}
        </span>
      ) : null}
      {adjust.isError ? (
        <p role="alert" className="w-full text-rose-700">
          {adjust.error.message}
        </p>
      ) : null}
    </form>
  );
}

export function ChargeAdjustments({
  shipmentRef,
  canAdjust,
}: {
  shipmentRef: string;
  canAdjust: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const charges = useQuery(trpc.approvals.charges.queryOptions({ ref: shipmentRef }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.approvals.pathKey() });
  if (charges.isError)
    return (
      <p role="alert" className="text-rose-700">
        {charges.error.message}
      </p>
    );
  if (!charges.data) return null;
  if (charges.data.length === 0) return <Panel title="Charges" empty="Not rated yet." />;

  return (
    <Panel title="Charges">
      <ul className="divide-y divide-slate-100" aria-label="Charges">
        {charges.data.map((c) => (
          <li key={c.id} className="py-1.5">
            <div className="flex items-center gap-3">
              <span className="font-medium">{c.code}</span>
              <span className="flex-1 text-slate-600">{c.description}</span>
              <span className="font-mono">
                {c.amount.toFixed(2)} {c.currency}
              </span>
            </div>
            {c.adjustments.map((a) => (
              <p key={a.id} className="text-xs text-slate-600">
                <StatusBadge status={a.status} /> {a.previousAmount.toFixed(2)} →{' '}
                {a.newAmount.toFixed(2)} by {a.requestedBy.name}, {formatUtc(a.createdAt)}:{' '}
                {a.reason}
                {a.approvalRequest?.decisionNote ? ` (${a.approvalRequest.decisionNote})` : ''}
              </p>
            ))}
            {canAdjust && !c.invoiceId ? (
              <AdjustForm chargeId={c.id} code={c.code} onDone={refresh} />
            ) : null}
          </li>
        ))}
      </ul>
    </Panel>
  );
}
