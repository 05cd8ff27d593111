import { gtin14, glnOf } from './gs1-keys';
import type { LocationRef, ReferenceMap, SkuRef, Unresolved, UnresolvedKind } from './types';

// Lookups in one partner's mapping table. Every miss is recorded, never dropped: the caller names
// the events it holds back, and the intake parks them until an admin maps the value.

/** Product id qualifiers (X12 element 235) whose values are GTINs in some length. */
const GTIN_QUALIFIERS = new Set(['UK', 'UP', 'UA', 'UI', 'UN', 'EN', 'EO', 'UC', 'GTIN']);

export interface ProductId {
  qualifier: string;
  value: string;
}

function gtinIndex(skus: ReferenceMap['skus']): Map<string, SkuRef> {
  const index = new Map<string, SkuRef>();
  for (const [key, ref] of Object.entries(skus)) {
    const gtin = gtin14(key.replace(/^[A-Z]{2,4}:/, ''));
    if (gtin) index.set(gtin, ref);
  }

  return index;
}

export class References {
  readonly unresolved: Unresolved[] = [];
  private readonly gtins: Map<string, SkuRef>;

  constructor(private readonly map: ReferenceMap) {
    this.gtins = gtinIndex(map.skus);
  }

  /** The first product id that names a mapped SKU; GTIN-qualified ids match in any length. */
  sku(ids: readonly ProductId[]): SkuRef | null {
    for (const id of ids) {
      const gtin = GTIN_QUALIFIERS.has(id.qualifier) ? gtin14(id.value) : null;
      const hit =
        (gtin ? this.gtins.get(gtin) : undefined) ??
        this.map.skus[`${id.qualifier}:${id.value}`] ??
        this.map.skus[id.value];
      if (hit) return hit;
    }

    return null;
  }

  /** The id an admin is shown for an unmapped product: its GTIN when it has one. */
  static productLabel(ids: readonly ProductId[]): string {
    const gtin = ids.find((id) => GTIN_QUALIFIERS.has(id.qualifier) && gtin14(id.value));
    const first = gtin ?? ids[0];

    return first ? `${first.qualifier}:${first.value}` : '(no product id)';
  }

  partner(qualifier: string, id: string): string | null {
    return this.map.partners[`${qualifier}:${id}`] ?? this.map.partners[id] ?? null;
  }

  /** A location by qualified id, bare id, or the GLN of an SGLN / Digital Link. */
  location(qualifier: string, id: string): LocationRef | null {
    const gln = glnOf(id);

    return (
      this.map.locations[`${qualifier}:${id}`] ??
      this.map.locations[id] ??
      (gln ? this.map.locations[gln] : undefined) ??
      null
    );
  }

  carrier(code: string): string | null {
    return this.map.carriers[code] ?? null;
  }

  miss(kind: UnresolvedKind, value: string, segment: string, eventIds: string[]): void {
    const same = this.unresolved.find(
      (u) => u.kind === kind && u.value === value && u.segment === segment,
    );
    if (same) {
      same.eventIds.push(...eventIds.filter((id) => !same.eventIds.includes(id)));
      return;
    }
    this.unresolved.push({ kind, value, segment, eventIds: [...eventIds] });
  }
}
