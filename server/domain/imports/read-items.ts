import type { ImportKind } from '../../db/generated/enums';
import { mapHeader, type HeaderMapping } from './columns';
import type { Item, KindImporter } from './kinds';
import { readCsv } from './read-csv';
import type { Cells, Parsed, RowError } from './types';

// A file's data rows as items of one kind, in file order: the header mapped first, then every
// record parsed on its own, and a key that repeats an earlier row's rejected at the repeat. The
// same rows come out the same way every time, so that a resumed job (which reads the file from
// its start again) and the preview see what the first pass saw.

export type Step<R> =
  | { type: 'header'; mapping: HeaderMapping }
  | { type: 'item'; item: Item<R>; bytes: number; fields: string[] };

export async function* readItems<R>(
  kind: ImportKind,
  importer: KindImporter<R, unknown>,
  data: Buffer,
  defaults: Readonly<Record<string, string>> = {},
): AsyncGenerator<Step<R>> {
  let mapping: HeaderMapping | null = null;
  let index = new Map<string, number>();
  const repeats = new Repeats(importer);
  for await (const record of readCsv(data)) {
    if (!mapping) {
      if ('error' in record) {
        mapping = {
          columns: [],
          missing: [],
          problems: [`the header cannot be read: ${record.error}`],
          warnings: [],
        };
      } else {
        mapping = mapHeader(kind, record.fields, new Set(Object.keys(defaults)));
        index = new Map(mapping.columns.flatMap((c) => (c.column ? [[c.column, c.index]] : [])));
      }
      yield { type: 'header', mapping };
      continue;
    }
    if ('error' in record) {
      const reason = `cannot be read as CSV: ${record.error}`;
      const errors = [{ line: record.line, column: null, value: null, reason }];
      const item = { line: record.line, key: '', parsed: { ok: false as const, errors } };
      yield { type: 'item', item, bytes: record.bytes, fields: [] };
      continue;
    }
    const fields = record.fields;
    const cells: Cells = {
      line: record.line,
      get: (column) => {
        const at = index.get(column);
        if (at === undefined) return defaults[column] ?? '';

        return (fields[at] ?? '').trim();
      },
    };
    const key = importer.keyOf(cells);
    let parsed: Parsed<R> = importer.parse(cells);
    const extra: RowError[] = [];
    if (fields.length !== mapping.columns.length) {
      const reason = `has ${fields.length} fields; the header has ${mapping.columns.length}`;
      extra.push({ line: record.line, column: null, value: null, reason });
    }
    const repeat = repeats.check(key, record.line);
    if (repeat) extra.push(repeat);
    if (extra.length) {
      parsed = { ok: false, errors: [...extra, ...(parsed.ok ? [] : parsed.errors)] };
    }
    yield { type: 'item', item: { line: record.line, key, parsed }, bytes: record.bytes, fields };
  }
  if (!mapping) {
    yield {
      type: 'header',
      mapping: { columns: [], missing: [], problems: ['the file is empty'], warnings: [] },
    };
  }
}

/** The first line of every key; the rows of one order may follow each other, and only so. */
class Repeats {
  private readonly seen = new Map<string, number>();
  private runKey: string | null = null;
  private runRepeats: number | null = null;

  constructor(private readonly importer: KindImporter<unknown, unknown>) {}

  check(key: string, line: number): RowError | null {
    if (key === '' || key.split('|').every((part) => part === '')) return null;
    let first: number | null;
    if (this.importer.grouped && key === this.runKey) {
      first = this.runRepeats;
    } else {
      first = this.seen.get(key) ?? null;
      if (first === null) this.seen.set(key, line);
      this.runKey = key;
      this.runRepeats = first;
    }
    if (first === null) return null;
    const reason = this.importer.grouped
      ? `order ${key} already appears on line ${first}; the lines of one order must be consecutive`
      : `repeats the ${this.importer.describeKey} of line ${first}`;

    return { line, column: null, value: null, reason };
  }
}
