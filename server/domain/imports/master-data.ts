import type { Db } from '../../db/client';
import type { SkuUnitFactor } from '../../lib/units';
import type { ImportScope } from './types';

// The master data rows are checked against, read per chunk for the codes the chunk names and
// kept for the rest of the run: a file of 200,000 rows names a few thousand SKUs at most, and
// each is read once.

export interface SiteRef {
  id: string;
  code: string;
  allowed: boolean;
}

export interface SkuRef {
  id: string;
  baseUom: string;
  units: SkuUnitFactor[];
}

export interface CustomerRef {
  id: string;
  currency: string;
  shipTos: Map<string, string>;
}

export class MasterData {
  private sites: Map<string, SiteRef> | null = null;
  private readonly skus = new Map<string, SkuRef | null>();
  private readonly customers = new Map<string, CustomerRef | null>();
  private readonly bins = new Map<string, string | null>();

  constructor(
    private readonly db: Db,
    private readonly scope: ImportScope,
  ) {}

  async loadSites(): Promise<Map<string, SiteRef>> {
    if (!this.sites) {
      const rows = await this.db.site.findMany({ select: { id: true, code: true, name: true } });
      const allowed = (id: string) => this.scope.allSites || this.scope.siteIds.includes(id);
      const refs = rows.map((s) => ({ id: s.id, code: s.code, allowed: allowed(s.id) }));
      this.sites = new Map(refs.map((s) => [s.code, s]));
      // A site may also be named by its name (exports such as OpenBoxes' do), when that name is
      // no other site's code or name.
      const sites = this.sites;
      const uses = new Map<string, number>();
      for (const s of rows) uses.set(s.name, (uses.get(s.name) ?? 0) + 1);
      rows.forEach((s, i) => {
        if (uses.get(s.name) === 1 && !sites.has(s.name)) sites.set(s.name, refs[i]!);
      });
    }

    return this.sites;
  }

  site(code: string): SiteRef | null {
    return this.sites?.get(code) ?? null;
  }

  /** Codes of the sites the uploader may import into. */
  allowedSiteCodes(): Set<string> {
    return new Set([...(this.sites?.values() ?? [])].filter((s) => s.allowed).map((s) => s.code));
  }

  async loadSkus(codes: Iterable<string>): Promise<void> {
    const wanted = [...new Set(codes)].filter((c) => !this.skus.has(c));
    if (wanted.length === 0) return;
    const rows = await this.db.sku.findMany({
      where: { code: { in: wanted } },
      select: {
        id: true,
        code: true,
        baseUom: true,
        units: { select: { uomCode: true, factor: true } },
      },
    });
    for (const code of wanted) this.skus.set(code, null);
    for (const s of rows) {
      const units = s.units.map((u) => ({ uomCode: u.uomCode, factor: u.factor.toString() }));
      this.skus.set(s.code, { id: s.id, baseUom: s.baseUom, units });
    }
  }

  sku(code: string): SkuRef | null {
    return this.skus.get(code) ?? null;
  }

  async loadCustomers(codes: Iterable<string>): Promise<void> {
    const wanted = [...new Set(codes)].filter((c) => !this.customers.has(c));
    if (wanted.length === 0) return;
    const rows = await this.db.customer.findMany({
      where: { code: { in: wanted } },
      select: {
        id: true,
        code: true,
        currency: true,
        locations: { select: { id: true, code: true } },
      },
    });
    for (const code of wanted) this.customers.set(code, null);
    for (const c of rows) {
      const shipTos = new Map(c.locations.map((l) => [l.code, l.id]));
      this.customers.set(c.code, { id: c.id, currency: c.currency, shipTos });
    }
  }

  customer(code: string): CustomerRef | null {
    return this.customers.get(code) ?? null;
  }

  async loadBins(pairs: { siteId: string; code: string }[]): Promise<void> {
    const wanted = pairs.filter((p) => !this.bins.has(binKey(p.siteId, p.code)));
    if (wanted.length === 0) return;
    const rows = await this.db.$queryRaw<{ id: string; site_id: string; code: string }[]>`
      SELECT b.id, b.site_id, b.code FROM bin_locations b
      JOIN unnest(${wanted.map((p) => p.siteId)}::uuid[], ${wanted.map((p) => p.code)}::text[])
        AS w(site_id, code) ON b.site_id = w.site_id AND b.code = w.code`;
    for (const p of wanted) this.bins.set(binKey(p.siteId, p.code), null);
    for (const b of rows) this.bins.set(binKey(b.site_id, b.code), b.id);
  }

  bin(siteId: string, code: string): string | null {
    return this.bins.get(binKey(siteId, code)) ?? null;
  }
}

function binKey(siteId: string, code: string): string {
  return `${siteId}|${code}`;
}

/** A site cell checked against master data and the uploader's scope; null when it passes. */
export function siteProblem(site: SiteRef | null, code: string): string | null {
  if (!site) return `unknown site ${code}`;
  if (!site.allowed) return `site ${code} is not one of your sites`;

  return null;
}
