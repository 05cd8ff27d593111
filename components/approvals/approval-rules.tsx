'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc/client';
import { Panel } from '../ui/panel';

// Admins only (the page shows this to ADMIN; the router refuses everyone else).

const BUTTON = 'rounded border border-slate-300 bg-white px-2 py-0.5 text-xs hover:bg-slate-50';
const FIELD = 'rounded border border-slate-300 px-2 py-0.5 text-sm';
const ROLES = [
  'WAREHOUSE_SUPERVISOR',
  'DISPATCHER',
  'BILLING_ANALYST',
  'EXECUTIVE',
  'ADMIN',
] as const;
const LEVELS = ['MEMBER', 'TEAM_LEAD', 'SITE_MANAGER'] as const;

const KINDS = ['GOODS_VALUE', 'DANGEROUS_GOODS', 'HOLD_OVERRIDE', 'CHARGE_ADJUSTMENT'] as const;
const HOLDS = [
  'ANY',
  'QUANTITY_VARIANCE',
  'INVENTORY_UNCONFIRMED',
  'CREDIT',
  'DANGEROUS_GOODS_DOCUMENT',
  'ROUTE_INELIGIBLE',
] as const;

const THRESHOLD_HINT: Record<Kind, string> = {
  GOODS_VALUE: 'over, e.g. 50000',
  DANGEROUS_GOODS: 'over, e.g. 100',
  HOLD_OVERRIDE: '',
  CHARGE_ADJUSTMENT: 'approval above, e.g. 250.00',
};
type Kind = (typeof KINDS)[number];

function useRules() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSuccess = () =>
    queryClient.invalidateQueries({ queryKey: trpc.approvals.rules.queryKey() });

  return {
    list: useQuery(trpc.approvals.rules.queryOptions()),
    create: useMutation(trpc.approvals.createRule.mutationOptions({ onSuccess })),
    deactivate: useMutation(trpc.approvals.deactivateRule.mutationOptions({ onSuccess })),
  };
}

function conditionText(condition: unknown): string {
  return Object.entries((condition ?? {}) as Record<string, unknown>)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
}

function Text(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  hint: string;
}) {
  return (
    <input
      aria-label={props.label}
      className={FIELD}
      placeholder={props.hint}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
}

function Choice<T extends string>(props: {
  label: string;
  value: T;
  options: readonly T[];
  onChange: (v: T) => void;
}) {
  return (
    <select
      aria-label={props.label}
      className={FIELD}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value as T)}
    >
      {props.options.map((o) => (
        <option key={o}>{o}</option>
      ))}
    </select>
  );
}

function NewRule({ onCreate }: { onCreate: ReturnType<typeof useRules>['create'] }) {
  const [kind, setKind] = useState<Kind>('GOODS_VALUE');
  const [name, setName] = useState('');
  const [amount, setAmount] = useState('');
  const [dgClass, setDgClass] = useState('');
  const [hold, setHold] = useState<(typeof HOLDS)[number]>('ANY');
  const [currency, setCurrency] = useState('USD');
  const [role, setRole] = useState<(typeof ROLES)[number]>('WAREHOUSE_SUPERVISOR');
  const [level, setLevel] = useState<(typeof LEVELS)[number]>('TEAM_LEAD');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const common = { name, requiredRole: role, requiredLevel: level };
    if (kind === 'GOODS_VALUE')
      onCreate.mutate({ ...common, kind, condition: { minValue: amount } });
    if (kind === 'DANGEROUS_GOODS')
      onCreate.mutate({
        ...common,
        kind,
        condition: { maxQuantity: amount, ...(dgClass ? { dgClass } : {}) },
      });
    if (kind === 'HOLD_OVERRIDE')
      onCreate.mutate({
        ...common,
        kind,
        condition: hold === 'ANY' ? {} : { holdReason: hold },
      });
    if (kind === 'CHARGE_ADJUSTMENT')
      onCreate.mutate({
        ...common,
        kind,
        requiredRole: 'BILLING_ANALYST',
        condition: { currency, maxAmount: amount },
      });
  };

  return (
    <form
      onSubmit={submit}
      className="flex flex-wrap items-center gap-2 pt-3"
      aria-label="New rule"
    >
      <Text label="Name" hint="Name" value={name} onChange={setName} />
      <Choice label="Kind" value={kind} options={KINDS} onChange={setKind} />
      {kind === 'HOLD_OVERRIDE' ? (
        <Choice label="Hold" value={hold} options={HOLDS} onChange={setHold} />
      ) : (
        <Text label="Threshold" hint={THRESHOLD_HINT[kind]} value={amount} onChange={setAmount} />
      )}
      {kind === 'DANGEROUS_GOODS' ? (
        <Text label="Hazard class" hint="class (optional)" value={dgClass} onChange={setDgClass} />
      ) : null}
      {kind === 'CHARGE_ADJUSTMENT' ? (
        <Text label="Currency" hint="USD" value={currency} onChange={setCurrency} />
      ) : (
        <Choice label="Role" value={role} options={ROLES} onChange={setRole} />
      )}
      <Choice label="Level" value={level} options={LEVELS} onChange={setLevel} />
      <button type="submit" className={BUTTON} disabled={onCreate.isPending}>
        Add rule
      </button>
      {onCreate.isError ? (
        <p role="alert" className="w-full text-rose-700">
          {onCreate.error.message}
        </p>
      ) : null}
    </form>
  );
}

export function ApprovalRules() {
  const rules = useRules();
  const rows = rules.list.data;

  return (
    <Panel title="Approval rules">
      {rows === undefined ? (
        <p className="text-slate-500">Loading…</p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Approval rules">
          {rows.map((r) => (
            <li key={r.id} className="flex items-center gap-3 py-2" data-active={r.active}>
              <span className={`flex-1 ${r.active ? '' : 'text-slate-400 line-through'}`}>
                {r.name}: {r.kind} ({conditionText(r.condition)}), {r.requiredRole}{' '}
                {r.requiredLevel}
              </span>
              {r.active ? (
                <button
                  type="button"
                  className={BUTTON}
                  onClick={() => rules.deactivate.mutate({ id: r.id })}
                >
                  Deactivate
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <NewRule onCreate={rules.create} />
    </Panel>
  );
}
