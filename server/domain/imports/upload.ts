import { createHash } from 'node:crypto';

import type { Db } from '../../db/client';
import type { ImportKind } from '../../db/generated/enums';
import { Prisma } from '../../db/generated/client';
import { AppError } from '../../lib/errors';
import { writeAudit } from '../audit/write-audit';
import type { UserActor } from '../users/types';
import { buildPreview, type ImportPreview } from './preview';
import type { ImportScope } from './types';

// An uploaded CSV file: kept as an integration document of its partner (its SHA-256 as the
// control reference), with an import run that holds the preview until someone confirms it.

/** Tens of megabytes: 200,000 order lines are about 25 MB. */
export const MAX_CSV_BYTES = 64 * 1024 * 1024;

export interface CsvUpload {
  partnerId: string;
  kind: ImportKind;
  fileName: string;
  /** The site of every row, for a file that names none (a stock count of one warehouse). */
  site?: string;
  body: string;
}

export interface UploadedImport {
  runId: string;
  documentId: string;
  preview: ImportPreview;
  /** An earlier completed import of the same file and kind: importing it again changes nothing. */
  earlier: { runId: string; finishedAt: Date | null } | null;
}

function textProblem(body: string): string | null {
  if (body.trim() === '') return 'the file is empty';
  if (body.includes('\0')) return 'the file holds NUL bytes: it is not a text CSV file';
  // readTextBody decodes as UTF-8 and turns what is not into U+FFFD.
  if (body.includes('\uFFFD')) return 'the file is not UTF-8 text; save it as CSV UTF-8';

  return null;
}

export async function uploadCsv(
  db: Db,
  actor: UserActor,
  scope: ImportScope,
  upload: CsvUpload,
): Promise<UploadedImport> {
  const problem = textProblem(upload.body);
  if (problem) throw new AppError('BAD_REQUEST', problem);
  const partner = await db.partner.findUnique({ where: { id: upload.partnerId } });
  if (!partner?.active) throw new AppError('NOT_FOUND', 'no active partner with that id');

  const data = Buffer.from(upload.body, 'utf8');
  const defaults: Record<string, string> = upload.site ? { site: upload.site } : {};
  // The file with its defaults is what an import is: the same file for another site is another.
  const hash = createHash('sha256').update(data);
  if (upload.site) hash.update(`\0${JSON.stringify(defaults)}`);
  const fileSha256 = hash.digest('hex');
  const now = new Date();
  const preview = await buildPreview(
    db,
    { kind: upload.kind, data, defaults, scope, fileSha256, partnerId: partner.id },
    now,
  );
  const earlier = await db.importRun.findFirst({
    where: { kind: upload.kind, status: 'COMPLETED', document: { controlRef: fileSha256 } },
    orderBy: { finishedAt: 'desc' },
    select: { id: true, finishedAt: true },
  });

  const created = await db.$transaction(async (tx) => {
    const document = await tx.integrationDocument.create({
      data: { partnerId: partner.id, format: 'CSV', controlRef: fileSha256, body: upload.body },
      select: { id: true },
    });
    const run = await tx.importRun.create({
      data: {
        documentId: document.id,
        kind: upload.kind,
        fileName: upload.fileName.slice(0, 255) || 'upload.csv',
        sizeBytes: data.length,
        columns: { mapped: preview.columns, defaults } as unknown as Prisma.InputJsonObject,
        preview: preview as unknown as Prisma.InputJsonObject,
        uploadedById: actor.userId,
        allSites: scope.allSites,
        siteIds: [...scope.siteIds],
      },
      select: { id: true },
    });
    await writeAudit(tx, {
      entityType: 'import_run',
      entityId: run.id,
      action: 'import.uploaded',
      actor: { type: 'USER', id: actor.userId },
      requestId: actor.requestId,
      data: {
        kind: upload.kind,
        fileName: upload.fileName,
        sizeBytes: data.length,
        fileSha256,
        partnerId: partner.id,
        defaults,
      },
    });

    return { runId: run.id, documentId: document.id };
  });

  return {
    ...created,
    preview,
    earlier: earlier ? { runId: earlier.id, finishedAt: earlier.finishedAt } : null,
  };
}
