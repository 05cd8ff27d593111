import type { TransactionSet } from './structure';

// Event ids derived from where the event comes from: interchange control number (ISA13), group
// control number (GS06: ST02 is unique only within its group), transaction set control number
// (ST02) and the position of the segment it was read from. Re-sending the same file gives the
// same ids, so the intake answers "duplicate" instead of recording it twice. The stage rank puts
// the events of one segment in lifecycle order when they share an instant (replays sort by
// occurredAt, then eventId).

const STAGE_RANK = {
  ORDER_RELEASED: 1,
  PICK_COMPLETED: 2,
  PACKED_STAGED: 3,
  DEPARTED: 4,
  ARRIVED: 5,
  DELIVERED: 6,
  POD_RECEIVED: 7,
} as const;

export type X12Stage = keyof typeof STAGE_RANK;

/** Control numbers are numbers; "000000091" and "91" are one interchange. */
function numberPart(raw: string): string {
  return /^\d+$/.test(raw) ? BigInt(raw).toString() : raw;
}

export function x12EventId(set: TransactionSet, position: number, stage: X12Stage): string {
  return [
    'x12',
    numberPart(set.interchangeControlNumber),
    numberPart(set.groupControlNumber),
    numberPart(set.controlNumber),
    String(position).padStart(5, '0'),
    `${STAGE_RANK[stage]}-${stage}`,
  ].join(':');
}
