'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc/client';
import { Panel } from '../ui/panel';
import { CreateKeyForm } from './create-key-form';
import { CreatePartnerForm } from './create-partner-form';
import { KeyTable } from './key-table';

export function PartnersAdmin() {
  const trpc = useTRPC();
  const list = useQuery(trpc.partners.list.queryOptions());
  if (list.isPending) return <p className="text-slate-500">Loading…</p>;
  if (list.isError) {
    return (
      <p role="alert" className="text-rose-700">
        {list.error.message}
      </p>
    );
  }
  const { partners, rateLimit } = list.data;

  return (
    <div className="space-y-4">
      <Panel title="New partner">
        <CreatePartnerForm />
        <p className="mt-2 text-xs text-slate-500">
          Every key may send {rateLimit.perSecond} requests a second
          {rateLimit.burst
            ? `, and ${rateLimit.burst} more over ${rateLimit.burstWindowSeconds} s in a burst`
            : ''}
          , counted per key across all app instances; past it, 429 with Retry-After.
        </p>
      </Panel>
      {partners.map((partner) => (
        <Panel
          key={partner.id}
          title={`${partner.code} · ${partner.name}`}
          aside={
            <span className="text-xs text-slate-500">
              {partner.kind}
              {partner.active ? '' : ' · inactive'}
              {partner.lenient ? ' · lenient X12' : ''}
            </span>
          }
        >
          <div className="space-y-3">
            <KeyTable keys={partner.apiKeys} options={list.data} />
            <CreateKeyForm partner={partner} options={list.data} />
          </div>
        </Panel>
      ))}
    </div>
  );
}
