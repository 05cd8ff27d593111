import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';

type Outputs = inferRouterOutputs<AppRouter>['webhooks'];
export type SubscriptionRow = Outputs['subscriptions'][number];
export type DeliveryRow = Outputs['deliveries']['items'][number];
export type Topic = Outputs['topics']['topics'][number];
export type Partner = Outputs['partners'][number];
export type DeliveryFilter = Omit<inferRouterInputs<AppRouter>['webhooks']['deliveries'], 'cursor'>;

export const CELL = 'px-2 py-1 align-top';
export const BUTTON =
  'rounded border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium hover:bg-slate-50 disabled:opacity-50';
export const PRIMARY =
  'rounded bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-60';
export const INPUT = 'w-full rounded border border-slate-300 bg-white px-2 py-1';

export function when(value: Date | null | undefined): string {
  return value ? value.toISOString().slice(0, 19).replace('T', ' ') : '—';
}

interface TrpcErrorLike {
  message: string;
  data?: { inputIssues?: { fieldErrors?: Record<string, string[] | undefined> } | null } | null;
}

/** A field's own words for invalid input (the raw message is zod's JSON), else the message. */
export function errorText(error: TrpcErrorLike): string {
  const fields = error.data?.inputIssues?.fieldErrors ?? {};
  const lines = Object.entries(fields).flatMap(([f, messages]) =>
    (messages ?? []).map((m) => `${f}: ${m}`),
  );

  return lines.length > 0 ? lines.join('; ') : error.message;
}
