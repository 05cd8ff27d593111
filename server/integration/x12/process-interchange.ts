import type { AdapterEvent, AdapterWarning, MapResult, MappingContext, Unresolved } from '../types';
import { write997, type AckControlNumbers } from './ack-997';
import { writeTa1 } from './ack-ta1';
import {
  checkEnvelope,
  rejectUnsupported,
  type EnvelopeFault,
  type InterchangeCheck,
  type SetCheck,
} from './envelope';
import { map210, type Map210Result } from './map-210';
import { map214, type CarrierStatus } from './map-214';
import { map856 } from './map-856';
import { map940 } from './map-940';
import { map945 } from './map-945';
import { map990, type Map990Result } from './map-990';
import { read204, type Read204Result } from './read-204';
import { readInterchange } from './read-interchange';
import { el } from './segments';
import type { Interchange, Stray, TransactionSet } from './structure';

// One inbound X12 document end to end: read, judge the envelope, map every set that is taken,
// and write the 997 (and a TA1 when the interchange's own envelope is faulty or one was asked
// for). Pure: the caller keeps the document, records the events through the intake and sends
// the acknowledgements.

export type SetOutcome =
  | { kind: 'EVENTS'; result: MapResult; statuses?: CarrierStatus[] }
  | { kind: 'INVOICE'; result: Map210Result }
  | { kind: 'TENDER_RESPONSE'; result: Map990Result }
  | { kind: 'LOAD_TENDER'; result: Read204Result };

export interface SetResult {
  type: string;
  controlNumber: string;
  groupControlNumber: string;
  status: SetCheck['status'];
  taken: boolean;
  faults: EnvelopeFault[];
  /** Null for a set that was not taken. */
  outcome: SetOutcome | null;
}

export interface InterchangeResult {
  /** Sender and ISA13: a second document with the same key is a duplicate interchange. */
  key: string;
  check: InterchangeCheck;
  sets: SetResult[];
  events: AdapterEvent[];
  unresolved: Unresolved[];
  warnings: AdapterWarning[];
  ack997: string | null;
  ta1: string | null;
}

export interface ProcessOptions {
  context: MappingContext;
  lenient?: boolean;
  /** Control numbers for the acknowledgements of the `index`-th interchange; none, none written. */
  ack?: { controlNumbers: (index: number) => AckControlNumbers & { ta1: number }; now: Date };
}

export type ProcessResult =
  { ok: true; interchanges: InterchangeResult[]; strays: Stray[] } | { ok: false; reason: string };

const MAPPERS: Record<string, (set: TransactionSet, context: MappingContext) => SetOutcome> = {
  '940': (set, context) => ({ kind: 'EVENTS', result: map940(set, context) }),
  '856': (set, context) => ({ kind: 'EVENTS', result: map856(set, context) }),
  '945': (set, context) => ({ kind: 'EVENTS', result: map945(set, context) }),
  '214': (set, context) => {
    const { statuses, ...result } = map214(set, context);
    return { kind: 'EVENTS', result, statuses };
  },
  '210': (set, context) => ({ kind: 'INVOICE', result: map210(set, context) }),
  '990': (set, context) => ({ kind: 'TENDER_RESPONSE', result: map990(set, context) }),
  '204': (set) => ({ kind: 'LOAD_TENDER', result: read204(set) }),
};

export const SUPPORTED_SETS = Object.keys(MAPPERS);

export function interchangeKey(interchange: Interchange): string {
  const { sender, controlNumber } = interchange;
  const number = /^\d+$/.test(controlNumber) ? BigInt(controlNumber).toString() : controlNumber;

  return `${sender.qualifier}:${sender.id}:${number}`;
}

function mapSet(check: SetCheck, context: MappingContext): SetResult {
  const { set } = check;
  const mapper = MAPPERS[set.type];

  return {
    type: set.type,
    controlNumber: set.controlNumber,
    groupControlNumber: set.groupControlNumber,
    status: check.status,
    taken: check.taken,
    faults: check.faults,
    outcome: check.taken && mapper ? mapper(set, context) : null,
  };
}

/** Everything the taken sets produced, each warning and miss marked with its set's ST02. */
function collect(sets: SetResult[]) {
  const parts = sets.flatMap((s) =>
    s.outcome ? [{ set: s.controlNumber, outcome: s.outcome }] : [],
  );
  const warningsOf = (o: SetOutcome): AdapterWarning[] =>
    o.kind === 'LOAD_TENDER'
      ? o.result.warnings.map((message) => ({ code: 'NOT_MAPPED', message }))
      : o.result.warnings;

  return {
    events: parts.flatMap(({ outcome: o }) => (o.kind === 'EVENTS' ? o.result.events : [])),
    unresolved: parts.flatMap(({ set, outcome: o }) =>
      'unresolved' in o.result ? o.result.unresolved.map((u) => ({ ...u, set })) : [],
    ),
    warnings: parts.flatMap(({ set, outcome }) => warningsOf(outcome).map((w) => ({ ...w, set }))),
  };
}

function lenientWarnings(check: InterchangeCheck): AdapterWarning[] {
  return check.warnings.map((message) => ({ code: 'LENIENT_ENVELOPE', message }));
}

function processOne(
  interchange: Interchange,
  index: number,
  options: ProcessOptions,
): InterchangeResult {
  const judged = checkEnvelope(interchange, { lenient: options.lenient });
  const check = rejectUnsupported(judged, (type) => type in MAPPERS);
  const sets = check.groups.flatMap((g) => g.sets.map((s) => mapSet(s, options.context)));
  const collected = collect(sets);
  const ack = options.ack;
  const numbers = ack?.controlNumbers(index);
  const wantsTa1 = check.faults.length > 0 || el(interchange.isa, 14) === '1';

  return {
    key: interchangeKey(interchange),
    check,
    sets,
    ...collected,
    warnings: [...lenientWarnings(check), ...collected.warnings],
    ack997: ack && numbers ? write997(check, { controlNumbers: numbers, now: ack.now }) : null,
    ta1:
      ack && numbers && wantsTa1
        ? writeTa1(check, { controlNumber: numbers.ta1, now: ack.now })
        : null,
  };
}

export function processX12(raw: string, options: ProcessOptions): ProcessResult {
  const read = readInterchange(raw);
  if (!read.ok) return read;
  const { interchanges, strays } = read.document;

  return {
    ok: true,
    interchanges: interchanges.map((interchange, i) => processOne(interchange, i, options)),
    strays,
  };
}
