import type { Db } from '../../db/client';
import { AppError } from '../../lib/errors';
import { enqueue } from '../../jobs/enqueue';
import { writeAudit } from '../audit/write-audit';
import type { UserActor } from '../users/types';
import type { ImportPreview } from './preview';
import { IMPORT_MAX_ATTEMPTS, IMPORT_TASK } from './process-import';
import { visibleRun } from './reads';
import type { ImportViewer } from './types';

/** Queues a previewed import: its job is enqueued in the same transaction as the status. */
export async function confirmImport(
  db: Db,
  actor: UserActor & Pick<ImportViewer, 'role'>,
  runId: string,
): Promise<void> {
  await visibleRun(db, actor, runId);
  await db.$transaction(async (tx) => {
    const run = await tx.importRun.findUnique({
      where: { id: runId },
      select: { status: true, preview: true },
    });
    if (!run) throw new AppError('NOT_FOUND', 'no such import');
    const problems = (run.preview as unknown as ImportPreview).problems;
    if (problems.length) {
      throw new AppError('UNPROCESSABLE', `this file cannot be imported: ${problems.join('; ')}`);
    }
    const claimed = await tx.importRun.updateMany({
      where: { id: runId, status: 'PREVIEWED' },
      data: { status: 'QUEUED', confirmedAt: new Date() },
    });
    if (claimed.count === 0) throw new AppError('CONFLICT', 'this import was already confirmed');
    await enqueue(
      tx,
      IMPORT_TASK,
      { runId },
      { jobKey: `import:${runId}`, maxAttempts: IMPORT_MAX_ATTEMPTS },
    );
    await writeAudit(tx, {
      entityType: 'import_run',
      entityId: runId,
      action: 'import.confirmed',
      actor: { type: 'USER', id: actor.userId },
      requestId: actor.requestId,
    });
  });
}
