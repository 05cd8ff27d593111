import type { SessionUser } from './types';

// The sites a user may see: every site with allSites, else the user's own (user_sites). Reads
// of site-bound records filter by this, e.g. `where: { ...siteFilter(user) }`.

export type SiteScope = Pick<SessionUser, 'allSites' | 'siteIds'>;

export function siteFilter(scope: SiteScope): { siteId?: { in: string[] } } {
  return scope.allSites ? {} : { siteId: { in: scope.siteIds } };
}

export function maySeeSite(scope: SiteScope, siteId: string): boolean {
  return scope.allSites || scope.siteIds.includes(siteId);
}
