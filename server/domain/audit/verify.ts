import type { KeyObject } from 'node:crypto';
import type { Db } from '../../db/client';
import { verifyChains, type ChainProblem, type ChainSummary } from './verify-chains';
import { verifySeals, type SealProblem, type SealSummary } from './verify-seals';

// `npm run audit:verify`: the chains (is every row what its hash says, does every row follow the
// one before it, is any seq missing) and the seals (is every checkpoint signed by a trusted key
// and does its root still match the rows it sealed). Both passes stream the table in pages, side
// by side; the chains' findings are listed first.

export type AuditProblem = ChainProblem | SealProblem;

export interface AuditVerification {
  sound: boolean;
  problems: AuditProblem[];
  chains: ChainSummary;
  seals: SealSummary;
}

/** Problems kept in the result; the rest are counted (a wholesale rewrite breaks every row). */
const KEEP = 1_000;

export async function verifyAuditLog(
  db: Db,
  keys: ReadonlyMap<string, KeyObject>,
): Promise<AuditVerification & { problemCount: number }> {
  const found: [AuditProblem[], AuditProblem[]] = [[], []];
  let problemCount = 0;
  const reportTo = (list: AuditProblem[]) => (problem: AuditProblem) => {
    problemCount++;
    if (list.length < KEEP) list.push(problem);
  };
  // At once: the chain pass is Node's hashing, the seal pass PostgreSQL's.
  const [chains, seals] = await Promise.all([
    verifyChains(db, reportTo(found[0])),
    verifySeals(db, keys, reportTo(found[1])),
  ]);
  const problems = [...found[0], ...found[1]].slice(0, KEEP);

  return { sound: problemCount === 0, problems, problemCount, chains, seals };
}

function entity(p: { entityType: string; entityId: string }): string {
  return `${p.entityType} ${p.entityId}`;
}

export function describeProblem(p: AuditProblem): string {
  switch (p.kind) {
    case 'edited':
      return `edited row: ${entity(p)} seq ${p.seq} (id ${p.id}) no longer matches its hash`;
    case 'inserted':
      return p.reason === 'duplicate-seq'
        ? `inserted row: ${entity(p)} seq ${p.seq} (id ${p.id}) repeats a seq`
        : `inserted row: ${entity(p)} seq ${p.seq} (id ${p.id}) does not follow seq ${p.seq - 1} ` +
            `(its prev_hash does not match; or seq ${p.seq - 1} was rewritten)`;
    case 'deleted':
      return p.fromSeq === p.toSeq
        ? `deleted row: ${entity(p)} seq ${p.fromSeq} is missing`
        : `deleted rows: ${entity(p)} seq ${p.fromSeq}-${p.toSeq} are missing`;
    case 'bad-signature':
      return p.reason === 'unknown-key'
        ? `bad signature: checkpoint ${p.checkpointId} is signed by an unknown key ${p.keyId}`
        : `bad signature: checkpoint ${p.checkpointId} does not verify with key ${p.keyId}`;
    case 'seal-mismatch':
      return (
        `sealed rows changed: ids ${p.afterId + 1n}-${p.throughId} no longer match ` +
        `checkpoint ${p.checkpointId} (a row edited and re-hashed, inserted or deleted)`
      );
    case 'tail-cut':
      return (
        `tail cut off: checkpoint ${p.checkpointId} seals through id ${p.sealedThroughId}, ` +
        `the log now ends at ${p.lastId === null ? 'no row' : `id ${p.lastId}`} in its range`
      );
  }
}

/** The lines `audit:verify` prints. */
export function describeVerification(v: AuditVerification & { problemCount: number }): string[] {
  const lines = v.problems.map(describeProblem);
  if (v.problemCount > v.problems.length) {
    lines.push(`... and ${v.problemCount - v.problems.length} more problems`);
  }
  lines.push(
    `${v.chains.rows} rows in ${v.chains.entities} chains, ${v.seals.checkpoints} checkpoints`,
  );
  const last = v.seals.last;
  lines.push(
    last
      ? `sealed through id ${last.sealedThroughId} by checkpoint ${last.id} at ` +
          `${last.createdAt.toISOString()}; ${v.seals.unsealedRows} rows after it not yet sealed`
      : `no checkpoint yet; ${v.seals.unsealedRows} rows not yet sealed`,
  );
  lines.push(v.sound ? 'audit log is sound' : `audit log is NOT sound: ${v.problemCount} problems`);

  return lines;
}
