import type { Segment } from './segments';
import { nestInterchanges, type X12Document } from './structure';

// Tolerant reading of a raw X12 document into segments, then into interchanges, groups and
// transaction sets (structure.ts). The separators are read from the ISA itself: the element
// separator is the character after "ISA", the component separator is ISA16, and the segment
// terminator is the character after ISA16.
//
// Why a splitter of our own rather than node-x12's X12Parser (which the 997 and 204 writers and
// the tests do use): node-x12 1.7.1 reads the separators at fixed offsets (3, 82, 104, 105), so a
// byte-order mark or leading whitespace shifts them and parse() finds no interchange at all (the
// two BOM samples come back undefined, with an ISA-length diagnostic); it silently drops a last
// segment without a terminator (the IEA of two of our samples, whose terminator is a newline and
// which end without one); its tree builder throws TypeErrors on an ST before any GS or an SE
// without ST, exactly the broken envelopes we must answer with a 997; and it rewrites ISA13 and
// IEA02 through parseInt. Splitting on three known characters is a few lines; judging the
// envelope is the product's own work anyway (envelope.ts).

export interface Separators {
  element: string;
  component: string;
  segment: string;
  /** ISA11 from version 00402 on; recorded only: no element we read repeats, so no value is split. */
  repetition: string | null;
}

export type ReadResult = { ok: true; document: X12Document } | { ok: false; reason: string };

const BOM = '\uFEFF';
const ISA_ELEMENTS = 16;

function isDataCharacter(char: string): boolean {
  return /[A-Za-z0-9\s]/.test(char);
}

/** The separators of the ISA starting at `start`, or the reason they cannot be read. */
export function readSeparators(text: string, start: number): Separators | string {
  const element = text.charAt(start + 3);
  if (!element || isDataCharacter(element)) {
    return 'the ISA segment has no element separator after "ISA"';
  }
  let cursor = start + 3;
  const isa: string[] = [];
  for (let n = 1; n < ISA_ELEMENTS; n += 1) {
    const next = text.indexOf(element, cursor + 1);
    if (next < 0) return `the ISA segment stops after ISA${String(n).padStart(2, '0')}`;
    isa.push(text.slice(cursor + 1, next).trim());
    cursor = next;
  }
  const component = text.charAt(cursor + 1);
  const segment = text.charAt(cursor + 2);
  if (!component || !segment) return 'the ISA segment ends before ISA16 and its terminator';
  if (segment === element || segment === component || /[A-Za-z0-9 ]/.test(segment)) {
    return `the character after ISA16 (${JSON.stringify(segment)}) cannot end segments`;
  }
  const version = isa[11] ?? '';
  const isa11 = isa[10] ?? '';
  const repeats = version >= '00402' && isa11.length === 1 && !isDataCharacter(isa11);

  return { element, component, segment, repetition: repeats ? isa11 : null };
}

/**
 * Segments of the text after `start`, each trimmed of the line breaks and indentation around it.
 * A last segment without its terminator is kept: a newline-terminated file often ends without
 * one, and a truly cut-off file is caught by the missing SE, GE or IEA instead.
 */
export function splitSegments(text: string, start: number, separators: Separators): Segment[] {
  const segments: Segment[] = [];
  for (const piece of text.slice(start).split(separators.segment)) {
    const trimmed = piece.trim();
    if (!trimmed) continue;
    const [tag = '', ...elements] = trimmed.split(separators.element);
    segments.push({
      tag: tag.trim(),
      elements: elements.map((value) => value.trim()),
      index: segments.length,
    });
  }

  return segments;
}

/** Reads a raw document. Not X12 at all (no ISA at its start) is the only failure. */
export function readInterchange(raw: string): ReadResult {
  const text = raw.startsWith(BOM) ? raw.slice(BOM.length) : raw;
  const start = text.search(/\S/);
  if (start < 0 || text.slice(start, start + 3) !== 'ISA') {
    return { ok: false, reason: 'an X12 document starts with an ISA segment' };
  }
  const separators = readSeparators(text, start);
  if (typeof separators === 'string') return { ok: false, reason: separators };
  const segments = splitSegments(text, start, separators);

  return { ok: true, document: nestInterchanges(segments, separators) };
}
