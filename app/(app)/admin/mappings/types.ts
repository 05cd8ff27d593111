import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';

export type MappingRow = inferRouterOutputs<AppRouter>['mappings']['list']['items'][number];
export type MappingOptions = inferRouterOutputs<AppRouter>['mappings']['options'];
export type MappingKind = MappingRow['kind'];
export type MappingTarget = inferRouterInputs<AppRouter>['mappings']['create']['target'];

export const KINDS: readonly MappingKind[] = ['PARTNER_ID', 'SKU', 'LOCATION', 'CARRIER'];

export const KIND_LABEL: Record<MappingKind, string> = {
  PARTNER_ID: 'Partner id → customer',
  SKU: 'GTIN / item → SKU',
  LOCATION: 'Location → site or customer location',
  CARRIER: 'Carrier code → carrier',
};

export const BUTTON =
  'rounded border border-slate-300 bg-white px-2 py-0.5 text-xs hover:bg-slate-50 disabled:opacity-50';
export const FIELD = 'rounded border border-slate-300 px-2 py-0.5 text-sm';

/** A procedure's refusal as an admin reads it: the field messages of a bad input, or the reason. */
export function errorText(error: { message: string; data?: unknown } | null): string | null {
  if (!error) return null;
  const issues = (error.data as { inputIssues?: { fieldErrors?: Record<string, string[]> } } | null)
    ?.inputIssues?.fieldErrors;
  const messages = issues ? Object.values(issues).flat() : [];

  return messages.length ? messages.join('; ') : error.message;
}
