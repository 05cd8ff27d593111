import type { EnvelopeFault, InterchangeCheck } from './envelope';
import { el } from './segments';
import { clean, controlNumber, OUR_SEPARATORS } from './write-envelope';

// The TA1 interchange acknowledgement: a 997 answers groups and sets only, so faults of the
// interchange's own envelope (IEA02 against ISA13, IEA01, a missing IEA, segments outside any
// group) are answered here. Written by hand: node-x12 places every segment inside a group, and a
// TA1 sits directly in the interchange, between ISA and IEA.

/** TA105 interchange note codes (element I18), most telling first. */
const NOTE_CODES: [EnvelopeFault['code'], string][] = [
  ['IEA_MISSING', '023'],
  ['IEA02_CONTROL', '001'],
  ['IEA01_COUNT', '021'],
  ['STRAY_SEGMENT', '024'],
];

export interface Ta1Options {
  controlNumber: number;
  now: Date;
}

/** The TA1 status and note for the interchange: "A" and "000" when its envelope is sound. */
export function ta1Note(check: InterchangeCheck): { status: 'A' | 'E'; note: string } {
  const found = NOTE_CODES.find(([code]) => check.faults.some((f) => f.code === code));

  return found ? { status: 'E', note: found[1] } : { status: 'A', note: '000' };
}

function isa(check: InterchangeCheck, options: Ta1Options): string {
  const stamp = options.now.toISOString();
  const { sender, receiver } = check.interchange;
  const fields = [
    '00',
    ''.padEnd(10),
    '00',
    ''.padEnd(10),
    receiver.qualifier.padEnd(2),
    clean(receiver.id).padEnd(15).slice(0, 15),
    sender.qualifier.padEnd(2),
    clean(sender.id).padEnd(15).slice(0, 15),
    stamp.slice(2, 10).replaceAll('-', ''),
    stamp.slice(11, 16).replace(':', ''),
    'U',
    '00401',
    controlNumber(options.controlNumber, 9),
    '0',
    check.interchange.usage === 'T' ? 'T' : 'P',
    OUR_SEPARATORS.component,
  ];

  return `ISA*${fields.join('*')}`;
}

/**
 * A TA1 interchange (ISA, TA1, IEA with no groups). Interchange faults are noted ("E"): the
 * groups and sets in it carry their own counts and are judged in the 997.
 */
export function writeTa1(check: InterchangeCheck, options: Ta1Options): string {
  const inbound = check.interchange.isa;
  const { status, note } = ta1Note(check);
  const segments = [
    isa(check, options),
    ['TA1', clean(el(inbound, 13)), el(inbound, 9), el(inbound, 10), status, note].join('*'),
    `IEA*0*${controlNumber(options.controlNumber, 9)}`,
  ];

  return segments.map((s) => `${s}${OUR_SEPARATORS.segment}`).join('');
}
