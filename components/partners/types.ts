import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';

export type PartnersList = inferRouterOutputs<AppRouter>['partners']['list'];
export type PartnerRow = PartnersList['partners'][number];
export type KeyRow = PartnerRow['apiKeys'][number];
export type IssuedKey = inferRouterOutputs<AppRouter>['partners']['createKey'];
