import { countOf, el, sameNumber } from './segments';
import type { FunctionalGroup, Interchange, TransactionSet } from './structure';

// The product's own envelope rules. Each fault names the segment and element at fault, what was
// declared and what the document holds.
//
// What a fault costs:
// - A transaction set is taken only when its own envelope is sound: SE present, SE01 = segments
//   ST..SE inclusive, SE02 = ST02. Each set carries its own count and control number, so a sound
//   set is provably intact even when its neighbours or its group trailer are not.
// - A group trailer that disagrees (GE01 count, GE02 control number) is noted (997 AK9 "E") and
//   does not reject the sound sets in it. A group without GE was cut off: it is rejected whole,
//   so nothing of it is half-applied.
// - Interchange trailer faults (IEA missing, IEA01, IEA02) and stray segments are noted (TA1).
// - A lenient partner's SE01/SE02 faults pass with a warning (AK5 "E"). Truncation never passes:
//   a set without SE may have lost segments.

export type FaultCode =
  | 'SE_MISSING'
  | 'SE01_COUNT'
  | 'SE02_CONTROL'
  | 'GE_MISSING'
  | 'GE01_COUNT'
  | 'GE02_CONTROL'
  | 'IEA_MISSING'
  | 'IEA01_COUNT'
  | 'IEA02_CONTROL'
  | 'STRAY_SEGMENT'
  | 'ST01_NOT_SUPPORTED';

export interface EnvelopeFault {
  code: FaultCode;
  segment: string;
  element: string | null;
  /** AK302 for a set's faults (position in the set); the document's segment index otherwise. */
  position: number;
  declared: string | null;
  actual: string | null;
  message: string;
}

export type SetStatus = 'A' | 'E' | 'R';

export interface SetCheck {
  set: TransactionSet;
  faults: EnvelopeFault[];
  status: SetStatus;
  /** Passed on to the mappers: sound, or broken and passed because the partner is lenient. */
  taken: boolean;
}

export interface GroupCheck {
  group: FunctionalGroup;
  faults: EnvelopeFault[];
  sets: SetCheck[];
  status: 'A' | 'E' | 'P' | 'R';
}

export interface InterchangeCheck {
  interchange: Interchange;
  faults: EnvelopeFault[];
  groups: GroupCheck[];
  warnings: string[];
}

export interface EnvelopeOptions {
  lenient?: boolean;
}

function setFaults(set: TransactionSet): EnvelopeFault[] {
  const name = `the transaction set with ST02 ${set.controlNumber}`;
  const held = set.body.length + 2;
  if (!set.se) {
    return [
      {
        code: 'SE_MISSING',
        segment: 'SE',
        element: null,
        position: held,
        declared: null,
        actual: null,
        message: `SE missing: ${name} ends after ${held - 1} segments (truncated?)`,
      },
    ];
  }
  const faults: EnvelopeFault[] = [];
  const declared = el(set.se, 1);
  if (countOf(declared) !== held) {
    faults.push({
      code: 'SE01_COUNT',
      segment: 'SE',
      element: 'SE01',
      position: set.se.position,
      declared,
      actual: String(held),
      message: `SE01 in ${name}: declares ${declared || '(nothing)'}, holds ${held}`,
    });
  }
  const trailer = el(set.se, 2);
  if (!sameNumber(trailer, set.controlNumber)) {
    faults.push({
      code: 'SE02_CONTROL',
      segment: 'SE',
      element: 'SE02',
      position: set.se.position,
      declared: trailer,
      actual: set.controlNumber,
      message: `SE02 in ${name}: ${trailer || '(nothing)'} does not match ST02`,
    });
  }

  return faults;
}

function checkSet(set: TransactionSet, options: EnvelopeOptions): SetCheck {
  const faults = setFaults(set);
  if (faults.length === 0) return { set, faults, status: 'A', taken: true };
  const truncated = faults.some((f) => f.code === 'SE_MISSING');
  const passes = Boolean(options.lenient) && !truncated;

  return { set, faults, status: passes ? 'E' : 'R', taken: passes };
}

function groupFaults(group: FunctionalGroup): EnvelopeFault[] {
  const name = `the group with GS06 ${group.controlNumber}`;
  if (!group.ge) {
    return [
      fault('GE_MISSING', 'GE', null, group.gs.index, null, null, `GE missing: ${name} is cut off`),
    ];
  }
  const faults: EnvelopeFault[] = [];
  const count = el(group.ge, 1);
  if (countOf(count) !== group.sets.length) {
    const message = `GE01 in ${name}: declares ${count || '(nothing)'} sets, holds ${group.sets.length}`;
    faults.push(
      fault('GE01_COUNT', 'GE', 'GE01', group.ge.index, count, String(group.sets.length), message),
    );
  }
  const trailer = el(group.ge, 2);
  if (!sameNumber(trailer, group.controlNumber)) {
    const message = `GE02 in ${name}: ${trailer || '(nothing)'} does not match GS06`;
    faults.push(
      fault('GE02_CONTROL', 'GE', 'GE02', group.ge.index, trailer, group.controlNumber, message),
    );
  }

  return faults;
}

function fault(
  code: FaultCode,
  segment: string,
  element: string | null,
  position: number,
  declared: string | null,
  actual: string | null,
  message: string,
): EnvelopeFault {
  return { code, segment, element, position, declared, actual, message };
}

function groupStatus(faults: EnvelopeFault[], sets: SetCheck[]): GroupCheck['status'] {
  if (faults.some((f) => f.code === 'GE_MISSING')) return 'R';
  const taken = sets.filter((s) => s.taken).length;
  if (sets.length > 0 && taken === 0) return 'R';
  if (taken < sets.length) return 'P';

  return faults.length > 0 || sets.some((s) => s.status === 'E') ? 'E' : 'A';
}

function checkGroup(group: FunctionalGroup, options: EnvelopeOptions): GroupCheck {
  const faults = groupFaults(group);
  const checked = group.sets.map((set) => checkSet(set, options));
  const status = groupStatus(faults, checked);
  // A rejected group is rejected whole: none of its sets reaches the mappers.
  const sets =
    status === 'R' ? checked.map((s) => ({ ...s, status: 'R' as const, taken: false })) : checked;

  return { group, faults, sets, status };
}

function interchangeFaults(interchange: Interchange): EnvelopeFault[] {
  const name = `the interchange with ISA13 ${interchange.controlNumber}`;
  const strays = interchange.strays.map((s) =>
    fault('STRAY_SEGMENT', s.segment.tag, null, s.segment.index, null, null, s.reason),
  );
  const iea = interchange.iea;
  if (!iea) {
    return [
      ...strays,
      fault(
        'IEA_MISSING',
        'IEA',
        null,
        interchange.isa.index,
        null,
        null,
        `IEA missing: ${name} is cut off`,
      ),
    ];
  }
  const faults = strays;
  const count = el(iea, 1);
  const groups = interchange.groups.length;
  if (countOf(count) !== groups) {
    const message = `IEA01 in ${name}: declares ${count || '(nothing)'} groups, holds ${groups}`;
    faults.push(fault('IEA01_COUNT', 'IEA', 'IEA01', iea.index, count, String(groups), message));
  }
  const trailer = el(iea, 2);
  if (!sameNumber(trailer, interchange.controlNumber)) {
    const message = `IEA02 in ${name}: ${trailer || '(nothing)'} does not match ISA13`;
    faults.push(
      fault(
        'IEA02_CONTROL',
        'IEA',
        'IEA02',
        iea.index,
        trailer,
        interchange.controlNumber,
        message,
      ),
    );
  }

  return faults;
}

function lenientWarnings(groups: GroupCheck[]): string[] {
  return groups.flatMap((g) =>
    g.sets
      .filter((s) => s.status === 'E')
      .flatMap((s) => s.faults.map((f) => `${f.message}; passed because the partner is lenient`)),
  );
}

export function checkEnvelope(
  interchange: Interchange,
  options: EnvelopeOptions = {},
): InterchangeCheck {
  const groups = interchange.groups.map((group) => checkGroup(group, options));

  return {
    interchange,
    faults: interchangeFaults(interchange),
    groups,
    warnings: lenientWarnings(groups),
  };
}

/**
 * Rejects the sets no mapper reads (997 AK5 code 1), recomputing each group's status. Kept apart
 * from the envelope rules: which sets the product reads is the caller's knowledge.
 */
export function rejectUnsupported(
  check: InterchangeCheck,
  supported: (type: string) => boolean,
): InterchangeCheck {
  const groups = check.groups.map((g) => {
    const sets = g.sets.map((s): SetCheck => {
      if (supported(s.set.type)) return s;
      const message = `ST01 ${s.set.type || '(nothing)'}: this transaction set is not read here`;
      const notRead = fault('ST01_NOT_SUPPORTED', 'ST', 'ST01', 1, s.set.type, null, message);

      return { ...s, faults: [...s.faults, notRead], status: 'R', taken: false };
    });

    return { ...g, sets, status: g.status === 'R' ? g.status : groupStatus(g.faults, sets) };
  });

  return { ...check, groups };
}

/** Every fault of the interchange, its groups and its sets, in document order. */
export function allFaults(check: InterchangeCheck): EnvelopeFault[] {
  return [
    ...check.faults,
    ...check.groups.flatMap((g) => [...g.faults, ...g.sets.flatMap((s) => s.faults)]),
  ];
}
