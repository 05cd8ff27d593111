import type { ImportKind } from '../../db/generated/enums';

// The columns each kind of CSV import knows, and how a file's header maps onto them. Headers are
// matched by a normal form ("Order Ref", "orderRef" and "order-ref" all read order_ref) and by a
// few aliases that exports commonly use (OpenBoxes' stock counts and bin lists among them). A
// header that maps to nothing is ignored, and the preview says so before anything is imported:
// exports carry columns of their own, and a misspelt one must not vanish without a word.

export interface ColumnSpec {
  name: string;
  required: boolean;
  aliases?: string[];
  hint: string;
}

export const COLUMNS: Record<ImportKind, readonly ColumnSpec[]> = {
  ORDERS: [
    {
      name: 'order_ref',
      required: true,
      aliases: ['order', 'order_no', 'order_number'],
      hint: 'SO-1001',
    },
    { name: 'site', required: true, aliases: ['site_code', 'warehouse'], hint: 'site code' },
    { name: 'customer', required: true, aliases: ['customer_code'], hint: 'customer code' },
    { name: 'ship_to', required: true, aliases: ['ship_to_code', 'shipto'], hint: 'ship-to code' },
    {
      name: 'released_at',
      required: true,
      aliases: ['released', 'release_time'],
      hint: '2026-12-03T14:05:00-08:00',
    },
    { name: 'line_no', required: true, aliases: ['line', 'line_number'], hint: '1' },
    { name: 'sku', required: true, aliases: ['sku_code', 'item'], hint: 'SKU code' },
    { name: 'quantity', required: true, aliases: ['qty'], hint: '12' },
    { name: 'uom', required: true, aliases: ['unit'], hint: 'EA, CS' },
    { name: 'unit_price', required: true, aliases: ['price'], hint: '4.50' },
    { name: 'currency', required: false, hint: "USD (default: the customer's)" },
    { name: 'po_number', required: false, aliases: ['po'], hint: 'PO-77' },
    { name: 'requested_date', required: false, hint: '2026-12-08' },
  ],
  INVENTORY: [
    { name: 'site', required: true, aliases: ['site_code', 'warehouse'], hint: 'site code' },
    {
      name: 'sku',
      required: true,
      aliases: ['sku_code', 'item', 'product_code'],
      hint: 'SKU code',
    },
    { name: 'location', required: true, aliases: ['bin', 'bin_location'], hint: 'bin code' },
    { name: 'lot', required: false, aliases: ['lot_number', 'batch'], hint: 'empty: no lot' },
    {
      name: 'quantity',
      required: true,
      aliases: ['qty', 'on_hand', 'qoh', 'physical_qoh'],
      hint: '120',
    },
    { name: 'uom', required: false, aliases: ['unit'], hint: "the SKU's base unit by default" },
  ],
  BIN_LOCATIONS: [
    {
      name: 'site',
      required: true,
      aliases: ['site_code', 'warehouse', 'parent_location'],
      hint: 'site code or name',
    },
    {
      name: 'location',
      required: true,
      aliases: ['bin', 'code', 'bin_location', 'name', 'bin_name'],
      hint: 'A-01-02',
    },
    { name: 'zone', required: false, hint: 'A' },
    { name: 'kind', required: false, aliases: ['type'], hint: 'PICK (default), RESERVE, …' },
    { name: 'max_weight', required: false, aliases: ['capacity'], hint: '1000' },
    { name: 'weight_unit', required: false, hint: 'KG or LB' },
    { name: 'active', required: false, hint: 'true (default) or false' },
  ],
};

export function normaliseHeader(header: string): string {
  return header
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export interface MappedColumn {
  index: number;
  header: string;
  column: string | null;
  problem: string | null;
  /** A known column given a second time: which of the two holds the value is anyone's guess. */
  repeat?: boolean;
}

export interface HeaderMapping {
  columns: MappedColumn[];
  /** Known columns the file lacks, required or not. */
  missing: { name: string; required: boolean }[];
  /** What stops the import: a required column missing, a column given twice. */
  problems: string[];
  /** What the import passes over: columns it does not know. */
  warnings: string[];
}

/**
 * `defaulted` are the columns the uploader gave one value for the whole file (a stock count of
 * one warehouse names no site): they are not missing.
 */
export function mapHeader(
  kind: ImportKind,
  header: readonly string[],
  defaulted: ReadonlySet<string> = new Set(),
): HeaderMapping {
  const specs = COLUMNS[kind];
  const byForm = new Map<string, string>();
  for (const spec of specs) {
    for (const form of [spec.name, ...(spec.aliases ?? [])])
      byForm.set(normaliseHeader(form), spec.name);
  }
  const taken = new Map<string, string>();
  const columns = header.map((raw, index): MappedColumn => {
    const column = byForm.get(normaliseHeader(raw)) ?? null;
    if (column === null) {
      const known = specs.map((s) => s.name).join(', ');
      const problem =
        raw.trim() === ''
          ? 'has no name; ignored'
          : `is not a column of this import; ignored (known: ${known})`;

      return { index, header: raw, column: null, problem };
    }
    const first = taken.get(column);
    if (first !== undefined) {
      return {
        index,
        header: raw,
        column: null,
        problem: `repeats column ${column} ("${first}")`,
        repeat: true,
      };
    }
    taken.set(column, raw);

    return { index, header: raw, column, problem: null };
  });
  const missing = specs
    .filter((s) => !taken.has(s.name) && !defaulted.has(s.name))
    .map((s) => ({ name: s.name, required: s.required }));
  const named = (c: MappedColumn) => `column ${c.index + 1} "${c.header}" ${c.problem}`;
  const problems = [
    ...columns.filter((c) => c.repeat).map(named),
    ...missing.filter((m) => m.required).map((m) => `required column ${m.name} is missing`),
  ];
  const warnings = columns.filter((c) => c.problem && !c.repeat).map(named);

  return { columns, missing, problems, warnings };
}
