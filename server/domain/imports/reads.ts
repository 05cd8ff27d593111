import type { Db } from '../../db/client';
import { AppError } from '../../lib/errors';
import type { ImportPreview } from './preview';
import type { ImportViewer } from './types';

// Reads for the upload page: past uploads of every format with their results, one import's
// progress, and its row errors by page or as one CSV file. A supervisor's reads are of their own
// imports only; another's answers as missing.

/** The run, when the viewer may see it; NOT_FOUND otherwise. */
export async function visibleRun(db: Db, viewer: ImportViewer, runId: string): Promise<void> {
  const run = await db.importRun.findUnique({
    where: { id: runId },
    select: { uploadedById: true },
  });
  if (!run || (viewer.role !== 'ADMIN' && run.uploadedById !== viewer.userId)) {
    throw new AppError('NOT_FOUND', 'no such import');
  }
}

export async function listUploads(db: Db, viewer: ImportViewer, limit = 50) {
  const own = viewer.role === 'ADMIN' ? {} : { importRun: { uploadedById: viewer.userId } };
  const documents = await db.integrationDocument.findMany({
    where: { format: { in: ['CSV', 'X12', 'EPCIS'] }, ...own },
    orderBy: { receivedAt: 'desc' },
    take: limit,
    select: {
      id: true,
      format: true,
      controlRef: true,
      receivedAt: true,
      result: true,
      partner: { select: { code: true, name: true } },
      importRun: { select: progressSelect },
      _count: { select: { events: true } },
    },
  });

  return documents.map(({ _count, ...d }) => ({ ...d, eventCount: _count.events }));
}

const progressSelect = {
  id: true,
  kind: true,
  status: true,
  fileName: true,
  sizeBytes: true,
  processedBytes: true,
  rowsProcessed: true,
  rowsImported: true,
  rowsUnchanged: true,
  rowsRejected: true,
  failure: true,
  createdAt: true,
  confirmedAt: true,
  finishedAt: true,
} as const;

export async function getImport(db: Db, viewer: ImportViewer, runId: string) {
  await visibleRun(db, viewer, runId);
  const run = await db.importRun.findUnique({
    where: { id: runId },
    select: {
      ...progressSelect,
      preview: true,
      document: { select: { partner: { select: { code: true } } } },
    },
  });
  if (!run) throw new AppError('NOT_FOUND', 'no such import');
  const { preview, document, ...rest } = run;

  return {
    ...rest,
    partnerCode: document.partner?.code ?? null,
    preview: preview as unknown as ImportPreview,
  };
}

export async function listRowErrors(
  db: Db,
  viewer: ImportViewer,
  runId: string,
  page: { afterId?: bigint; limit: number },
) {
  await visibleRun(db, viewer, runId);
  const rows = await db.importRowError.findMany({
    where: { runId, ...(page.afterId === undefined ? {} : { id: { gt: page.afterId } }) },
    orderBy: { id: 'asc' },
    take: page.limit,
    select: { id: true, line: true, column: true, value: true, reason: true },
  });

  return rows.map((r) => ({ ...r, id: r.id.toString() }));
}

const CSV_PAGE = 5000;

function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // A leading = + - @ would run as a formula when the file is opened in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;

  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The run's row errors as CSV (line, column, value, reason), read page by page as it streams. */
export async function rowErrorsCsv(
  db: Db,
  viewer: ImportViewer,
  runId: string,
): Promise<ReadableStream<Uint8Array>> {
  await visibleRun(db, viewer, runId);
  const encoder = new TextEncoder();
  let afterId: bigint | undefined;
  let started = false;

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode('line,column,value,reason\r\n'));
      }
      const rows = await db.importRowError.findMany({
        where: { runId, ...(afterId === undefined ? {} : { id: { gt: afterId } }) },
        orderBy: { id: 'asc' },
        take: CSV_PAGE,
      });
      const text = rows
        .map((r) => [r.line, r.column, r.value, r.reason].map(csvField).join(',') + '\r\n')
        .join('');
      if (text) controller.enqueue(encoder.encode(text));
      if (rows.length < CSV_PAGE) controller.close();
      else afterId = rows.at(-1)!.id;
    },
  });
}
