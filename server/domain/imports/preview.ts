import type { Db } from '../../db/client';
import type { ImportKind } from '../../db/generated/enums';
import type { HeaderMapping, MappedColumn } from './columns';
import { IMPORTERS } from './importers';
import type { Item } from './kinds';
import { MasterData } from './master-data';
import { readItems } from './read-items';
import type { ImportScope, RowError } from './types';

// What an uploader sees before anything is written: the header mapped to known columns, and the
// first rows checked exactly as the import will check them (master data included, no writes).

export const PREVIEW_ROWS = 50;

export interface PreviewRow {
  line: number;
  fields: string[];
  errors: RowError[];
}

export interface ImportPreview {
  columns: MappedColumn[];
  missing: HeaderMapping['missing'];
  /** File-level problems (a required column missing or repeated): it cannot be imported. */
  problems: string[];
  /** Columns the import passes over. */
  warnings: string[];
  rows: PreviewRow[];
  /** True when the file has rows past the ones shown. */
  moreRows: boolean;
}

export async function buildPreview(
  db: Db,
  input: {
    kind: ImportKind;
    data: Buffer;
    defaults: Record<string, string>;
    scope: ImportScope;
    fileSha256: string;
    partnerId: string;
  },
  now: Date,
): Promise<ImportPreview> {
  const importer = IMPORTERS[input.kind];
  let mapping: HeaderMapping = { columns: [], missing: [], problems: [], warnings: [] };
  const items: { item: Item<unknown>; fields: string[] }[] = [];
  let moreRows = false;
  for await (const step of readItems(input.kind, importer, input.data, input.defaults)) {
    if (step.type === 'header') {
      mapping = step.mapping;
      if (mapping.problems.length) break;
      continue;
    }
    if (items.length === PREVIEW_ROWS) {
      moreRows = true;
      break;
    }
    items.push({ item: step.item, fields: step.fields });
  }
  const problems = [...mapping.problems];
  if (!problems.length && items.length === 0) problems.push('the file has a header but no rows');

  const errors = problems.length
    ? []
    : await checkRows(
        db,
        input,
        items.map((i) => i.item),
        now,
      );
  const byLine = new Map<number, RowError[]>();
  for (const error of errors) byLine.set(error.line, [...(byLine.get(error.line) ?? []), error]);

  return {
    columns: mapping.columns,
    missing: mapping.missing,
    problems,
    warnings: mapping.warnings,
    rows: items.map(({ item, fields }) => ({
      line: item.line,
      fields,
      errors: byLine.get(item.line) ?? [],
    })),
    moreRows,
  };
}

async function checkRows(
  db: Db,
  input: { kind: ImportKind; scope: ImportScope; fileSha256: string; partnerId: string },
  items: Item<unknown>[],
  now: Date,
): Promise<RowError[]> {
  const checked = await IMPORTERS[input.kind].check(
    {
      db,
      master: new MasterData(db, input.scope),
      runId: '',
      documentId: '',
      partnerId: input.partnerId,
      fileSha256: input.fileSha256,
      now,
    },
    items,
  );

  return checked.errors;
}
