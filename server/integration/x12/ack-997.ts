import type { X12Transaction } from 'node-x12';

import type { EnvelopeFault, GroupCheck, InterchangeCheck, SetCheck } from './envelope';
import { countOf, el } from './segments';
import { addGroup, clean, controlNumber, newInterchange } from './write-envelope';

// The 997 functional acknowledgement of one inbound interchange: one ST*997 per inbound group
// (AK1), one AK2 per transaction set with AK3/AK4 naming the segment and element at fault, AK5
// per set and AK9 per group with its counts. Codes are X12's own (elements 716, 718, 720, 723).

export interface AckControlNumbers {
  interchange: number;
  group: number;
  /** ST02 of the first 997; the others follow. Defaults to 1. */
  firstSet?: number;
}

export interface AckOptions {
  controlNumbers: AckControlNumbers;
  now: Date;
}

/** AK5 transaction set syntax error codes (element 718). */
const AK5_CODE: Partial<Record<EnvelopeFault['code'], string>> = {
  ST01_NOT_SUPPORTED: '1',
  SE_MISSING: '2',
  SE02_CONTROL: '3',
  SE01_COUNT: '4',
};

/** AK9 functional group syntax error codes (element 716). */
const AK9_CODE: Partial<Record<EnvelopeFault['code'], string>> = {
  GE_MISSING: '3',
  GE02_CONTROL: '4',
  GE01_COUNT: '5',
};

/** X12 data element numbers of the trailer elements AK402 names. */
const ELEMENT_NUMBER: Record<string, string> = { SE01: '96', SE02: '329', ST01: '143' };

function codes(faults: EnvelopeFault[], table: Partial<Record<EnvelopeFault['code'], string>>) {
  return [...new Set(faults.flatMap((f) => table[f.code] ?? []))].slice(0, 5);
}

function addFaultNotes(tx: X12Transaction, faults: EnvelopeFault[]): void {
  for (const f of faults) {
    if (f.code === 'ST01_NOT_SUPPORTED') continue;
    if (f.code === 'SE_MISSING') {
      // AK304 3: mandatory segment missing, at the position the SE should have held.
      tx.addSegment('AK3', ['SE', String(f.position), '', '3']);
      continue;
    }
    // AK304 8: segment has data element errors; AK403 7: the value is not the valid one
    // (X12 has no element code for a wrong count, so the nearest is used; AK5 says which).
    tx.addSegment('AK3', [f.segment, String(f.position), '', '8']);
    const element = f.element ?? '';
    const bad = clean(f.declared ?? '');
    tx.addSegment('AK4', [
      String(Number(element.slice(-2))),
      ELEMENT_NUMBER[element] ?? '',
      '7',
      bad,
    ]);
  }
}

function addSet(tx: X12Transaction, check: SetCheck): void {
  tx.addSegment('AK2', [clean(check.set.type), clean(check.set.controlNumber)]);
  addFaultNotes(tx, check.faults);
  tx.addSegment('AK5', [check.status, ...codes(check.faults, AK5_CODE)]);
}

function addGroupResponse(tx: X12Transaction, check: GroupCheck): void {
  tx.addSegment('AK1', [clean(check.group.functionalId), clean(check.group.controlNumber)]);
  for (const set of check.sets) addSet(tx, set);
  const received = check.sets.length;
  const declared = check.group.ge ? countOf(el(check.group.ge, 1)) : null;
  const accepted = check.sets.filter((s) => s.taken).length;
  tx.addSegment('AK9', [
    check.status,
    String(declared ?? received),
    String(received),
    String(accepted),
    ...codes(check.faults, AK9_CODE),
  ]);
}

/**
 * The 997 for `check`, or null when it acknowledges nothing: an interchange without groups, or
 * only groups of 997s (acknowledgements are never acknowledged).
 */
export function write997(check: InterchangeCheck, options: AckOptions): string | null {
  const groups = check.groups.filter((g) => g.group.functionalId !== 'FA');
  if (groups.length === 0) return null;
  const inbound = check.interchange;
  const interchange = newInterchange({
    sender: inbound.receiver,
    receiver: inbound.sender,
    controlNumber: options.controlNumbers.interchange,
    now: options.now,
    usage: inbound.usage,
  });
  const first = groups[0]!.group;
  const group = addGroup(interchange, {
    functionalId: 'FA',
    sender: first.receiver,
    receiver: first.sender,
    controlNumber: options.controlNumbers.group,
    now: options.now,
  });
  groups.forEach((g, i) => {
    const tx = group.addTransaction();
    tx.setHeader(['997', controlNumber((options.controlNumbers.firstSet ?? 1) + i, 4)]);
    addGroupResponse(tx, g);
  });

  return interchange.toString();
}
