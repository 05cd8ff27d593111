import { X12Interchange, type X12FunctionalGroup, type X12SerializationOptions } from 'node-x12';

import type { Party } from './structure';

// The envelope of what we send (997, TA1, 204), built with node-x12's generator, which pads the
// ISA to its fixed widths and keeps SE01, GE01 and IEA01 counting as segments are added.
// We write version 00401/004010 with the common separators; dates and times are UTC, since no
// partner agreement names a zone for envelope stamps.

export const OUR_SEPARATORS = { element: '*', component: '>', segment: '~' } as const;

export interface EnvelopeStamp {
  sender: Party;
  receiver: Party;
  /** ISA13, 1..999999999; allocated by the caller so that it is unique per partner. */
  controlNumber: number;
  now: Date;
  /** ISA15: answer a test interchange as a test. */
  usage?: string;
}

export const SERIALIZATION = {
  elementDelimiter: OUR_SEPARATORS.element,
  subElementDelimiter: OUR_SEPARATORS.component,
  segmentTerminator: OUR_SEPARATORS.segment,
  repetitionDelimiter: '^',
  endOfLine: '\n',
  format: false,
} as X12SerializationOptions;

/** A value we echo from a partner may hold our separators; they would split our segments. */
export function clean(value: string): string {
  return value.replace(/[*>~^\r\n]/g, ' ').trim();
}

export function controlNumber(n: number, width: number): string {
  if (!Number.isSafeInteger(n) || n < 1 || n > 999_999_999) {
    throw new RangeError(`a control number is a whole number 1..999999999, not ${n}`);
  }

  return String(n).padStart(width, '0');
}

function dateParts(now: Date) {
  const iso = now.toISOString();

  return { date: iso.slice(0, 10).replaceAll('-', ''), time: iso.slice(11, 16).replace(':', '') };
}

export function newInterchange(stamp: EnvelopeStamp): X12Interchange {
  const { date, time } = dateParts(stamp.now);
  const interchange = new X12Interchange(SERIALIZATION);
  interchange.setHeader([
    '00',
    '',
    '00',
    '',
    stamp.sender.qualifier,
    clean(stamp.sender.id),
    stamp.receiver.qualifier,
    clean(stamp.receiver.id),
    date.slice(2),
    time,
    'U',
    '00401',
    controlNumber(stamp.controlNumber, 9),
    '0',
    stamp.usage === 'T' ? 'T' : 'P',
    OUR_SEPARATORS.component,
  ]);

  return interchange;
}

export interface GroupStamp {
  functionalId: string;
  sender: string;
  receiver: string;
  controlNumber: number;
  now: Date;
}

/**
 * GS02/GS03 hold 2 to 15 characters; some partners send longer ids (the CN rail sample's
 * "APPLICATION RECEIVER ID"), which node-x12 rightly refuses to write, so the echo is cut.
 */
function groupId(id: string): string {
  return clean(id).slice(0, 15).trim().padEnd(2, ' ');
}

export function addGroup(interchange: X12Interchange, stamp: GroupStamp): X12FunctionalGroup {
  const { date, time } = dateParts(stamp.now);
  const group = interchange.addFunctionalGroup();
  group.setHeader([
    stamp.functionalId,
    groupId(stamp.sender),
    groupId(stamp.receiver),
    date,
    time,
    String(stamp.controlNumber),
    'X',
    '004010',
  ]);

  return group;
}
