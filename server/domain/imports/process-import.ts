import type { Db, Tx } from '../../db/client';
import type { ImportKind } from '../../db/generated/enums';
import { Prisma } from '../../db/generated/client';
import { logger } from '../../lib/logger';
import { writeAudit } from '../audit/write-audit';
import { IMPORTERS, type AnyImporter } from './importers';
import { rejectedLines, type ImportContext, type Item, type Written } from './kinds';
import { MasterData } from './master-data';
import { readItems } from './read-items';
import type { RowError } from './types';

// The import job: the file read from its start, in chunks of CHUNK_ROWS rows, each chunk checked
// against master data and written with its row errors and the run's progress in one transaction
// (orders: recorded through the intake first, then the progress). A job that stops half-way is
// retried and resumes after the rows its progress counts: the rows before are read again only to
// know the keys they hold. Orders recorded before a crash and not yet counted are answered
// duplicate on the retry, so they are counted unchanged rather than imported.

export const IMPORT_TASK = 'import_csv';
export const CHUNK_ROWS = 2000;
export const IMPORT_MAX_ATTEMPTS = 5;
const MAX_VALUE_CHARS = 200;
const TRANSACTION = { maxWait: 15_000, timeout: 120_000 };

const log = logger('imports.process');

interface RunToImport {
  id: string;
  kind: ImportKind;
  documentId: string;
  sizeBytes: number;
  uploadedById: string;
  allSites: boolean;
  siteIds: string[];
  rowsProcessed: number;
  defaults: Record<string, string>;
  body: string;
  partnerId: string | null;
  fileSha256: string;
}

export async function processImport(
  db: Db,
  runId: string,
  options: { finalAttempt: boolean; now?: Date },
): Promise<void> {
  const run = await loadRun(db, runId);
  if (!run) return;
  try {
    await importRun(db, run, options.now ?? new Date());
  } catch (error) {
    log.error({ err: error, runId }, 'import failed');
    if (options.finalAttempt) await finish(db, run.id, 'FAILED', (error as Error).message);
    throw error;
  }
}

async function loadRun(db: Db, runId: string): Promise<RunToImport | null> {
  const run = await db.importRun.findUnique({
    where: { id: runId },
    include: { document: { select: { body: true, partnerId: true, controlRef: true } } },
  });
  if (!run || (run.status !== 'QUEUED' && run.status !== 'RUNNING')) return null;
  await db.importRun.update({
    where: { id: runId },
    data: { status: 'RUNNING', startedAt: run.startedAt ?? new Date() },
  });

  return {
    ...run,
    defaults: (run.columns as { defaults?: Record<string, string> }).defaults ?? {},
    body: run.document.body,
    partnerId: run.document.partnerId,
    fileSha256: run.document.controlRef ?? '',
  };
}

async function importRun(db: Db, run: RunToImport, now: Date): Promise<void> {
  const importer = IMPORTERS[run.kind];
  const ctx: ImportContext = {
    db,
    master: new MasterData(db, { allSites: run.allSites, siteIds: run.siteIds }),
    runId: run.id,
    documentId: run.documentId,
    partnerId: run.partnerId,
    fileSha256: run.fileSha256,
    now,
  };
  let skip = run.rowsProcessed;
  let chunk: Item<unknown>[] = [];
  let bytes = 0;
  const data = Buffer.from(run.body, 'utf8');
  for await (const step of readItems(run.kind, importer, data, run.defaults)) {
    if (step.type === 'header') {
      if (step.mapping.problems.length) {
        await finish(db, run.id, 'FAILED', step.mapping.problems.join('; '));
        return;
      }
      continue;
    }
    if (skip > 0) {
      skip -= 1;
      continue;
    }
    if (flushBefore(importer, chunk, step.item)) {
      await importChunk(ctx, importer, chunk, bytes);
      chunk = [];
    }
    chunk.push(step.item);
    bytes = step.bytes;
  }
  if (chunk.length) await importChunk(ctx, importer, chunk, bytes);
  await finish(db, run.id, 'COMPLETED', null);
}

/** A chunk ends at CHUNK_ROWS rows, but never inside one order's lines (up to 1,000 of them). */
function flushBefore(importer: AnyImporter, chunk: Item<unknown>[], next: Item<unknown>): boolean {
  if (chunk.length < CHUNK_ROWS) return false;
  if (!importer.grouped || chunk.length >= 2 * CHUNK_ROWS) return true;

  return chunk.at(-1)!.key !== next.key;
}

async function importChunk(
  ctx: ImportContext,
  importer: AnyImporter,
  chunk: Item<unknown>[],
  bytes: number,
): Promise<void> {
  const checked = await importer.check(ctx, chunk);
  const save = (tx: Tx, written: Written) =>
    saveProgress(tx, ctx.runId, chunk.length, bytes, written, [
      ...checked.errors,
      ...written.errors,
    ]);
  if (importer.transactional) {
    await ctx.db.$transaction(async (tx) => {
      await save(tx, await importer.write(ctx, checked.accepted, tx));
    }, TRANSACTION);
  } else {
    const written = await importer.write(ctx, checked.accepted, null);
    await ctx.db.$transaction((tx) => save(tx, written), TRANSACTION);
  }
}

async function saveProgress(
  tx: Tx,
  runId: string,
  rows: number,
  bytes: number,
  written: Written,
  errors: RowError[],
): Promise<void> {
  if (errors.length) {
    const values = errors.map((e) => ({
      line: e.line,
      column: e.column,
      value: e.value === null ? null : e.value.slice(0, MAX_VALUE_CHARS),
      reason: e.reason,
    }));
    await tx.$executeRaw`
      INSERT INTO import_row_errors (run_id, line, "column", value, reason)
      SELECT ${runId}::uuid, line, "column", value, reason
      FROM jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
        AS r(line int, "column" text, value text, reason text)`;
  }
  await tx.$executeRaw`
    UPDATE import_runs SET rows_processed = rows_processed + ${rows},
      processed_bytes = ${bytes}, rows_imported = rows_imported + ${written.imported},
      rows_unchanged = rows_unchanged + ${written.unchanged},
      rows_rejected = rows_rejected + ${rejectedLines(errors).size}, updated_at = now()
    WHERE id = ${runId}::uuid`;
}

async function finish(
  db: Db,
  runId: string,
  status: 'COMPLETED' | 'FAILED',
  failure: string | null,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const { sizeBytes, processedBytes } = await tx.importRun.findUniqueOrThrow({
      where: { id: runId },
      select: { sizeBytes: true, processedBytes: true },
    });
    const run = await tx.importRun.update({
      where: { id: runId },
      data: {
        status,
        failure,
        finishedAt: new Date(),
        processedBytes: status === 'COMPLETED' ? sizeBytes : processedBytes,
      },
    });
    const result = {
      kind: run.kind,
      status,
      failure,
      rowsProcessed: run.rowsProcessed,
      rowsImported: run.rowsImported,
      rowsUnchanged: run.rowsUnchanged,
      rowsRejected: run.rowsRejected,
    };
    await tx.integrationDocument.update({
      where: { id: run.documentId },
      data: { result: result as Prisma.InputJsonObject },
    });
    await writeAudit(tx, {
      entityType: 'import_run',
      entityId: runId,
      action: status === 'COMPLETED' ? 'import.completed' : 'import.failed',
      actor: { type: 'SYSTEM', id: null },
      data: result,
    });
  }, TRANSACTION);
}
