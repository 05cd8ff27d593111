import type { Separators } from './read-interchange';
import { el, type Segment, type SetSegment } from './segments';

// Nests a flat list of segments into interchanges, functional groups and transaction sets without
// ever throwing: a missing trailer leaves `se`/`ge`/`iea` null, and a segment in the wrong place
// is kept as a stray with the reason. envelope.ts turns both into faults.

export interface TransactionSet {
  st: SetSegment;
  se: SetSegment | null;
  /** The segments between ST and SE. */
  body: SetSegment[];
  type: string;
  controlNumber: string;
  /** GS08 when the group names one, else ISA12: the sets follow their group's version. */
  version: string;
  groupControlNumber: string;
  interchangeControlNumber: string;
  /** GS04/GS05: when the sender created the group, the best time a document gives for itself. */
  groupDate: string;
  groupTime: string;
}

export interface FunctionalGroup {
  gs: Segment;
  ge: Segment | null;
  sets: TransactionSet[];
  functionalId: string;
  controlNumber: string;
  version: string;
  sender: string;
  receiver: string;
}

export interface Stray {
  segment: Segment;
  reason: string;
}

export interface Party {
  qualifier: string;
  id: string;
}

export interface Interchange {
  isa: Segment;
  iea: Segment | null;
  groups: FunctionalGroup[];
  strays: Stray[];
  controlNumber: string;
  sender: Party;
  receiver: Party;
  /** ISA12: governs the envelope (whether ISA11 is a repetition separator), not the sets. */
  version: string;
  usage: string;
}

export interface X12Document {
  separators: Separators;
  interchanges: Interchange[];
  /** Segments after an IEA and before the next ISA. */
  strays: Stray[];
}

function openInterchange(isa: Segment): Interchange {
  return {
    isa,
    iea: null,
    groups: [],
    strays: [],
    controlNumber: el(isa, 13),
    sender: { qualifier: el(isa, 5), id: el(isa, 6) },
    receiver: { qualifier: el(isa, 7), id: el(isa, 8) },
    version: el(isa, 12),
    usage: el(isa, 15),
  };
}

function openGroup(gs: Segment): FunctionalGroup {
  return {
    gs,
    ge: null,
    sets: [],
    functionalId: el(gs, 1),
    controlNumber: el(gs, 6),
    version: el(gs, 8),
    sender: el(gs, 2),
    receiver: el(gs, 3),
  };
}

class Nester {
  readonly interchanges: Interchange[] = [];
  readonly strays: Stray[] = [];
  private interchange: Interchange | null = null;
  private group: FunctionalGroup | null = null;
  private set: TransactionSet | null = null;

  add(segment: Segment): void {
    switch (segment.tag) {
      case 'ISA':
        return this.isa(segment);
      case 'IEA':
        return this.iea(segment);
      case 'GS':
        return this.gs(segment);
      case 'GE':
        return this.ge(segment);
      case 'ST':
        return this.st(segment);
      case 'SE':
        return this.se(segment);
      default:
        return this.body(segment);
    }
  }

  private stray(segment: Segment, reason: string): void {
    (this.interchange?.strays ?? this.strays).push({ segment, reason });
  }

  private isa(segment: Segment): void {
    this.closeGroup();
    this.interchange = openInterchange(segment);
    this.interchanges.push(this.interchange);
  }

  private iea(segment: Segment): void {
    if (!this.interchange) return this.stray(segment, 'IEA without an ISA before it');
    this.closeGroup();
    this.interchange.iea = segment;
    this.interchange = null;
  }

  private gs(segment: Segment): void {
    if (!this.interchange) return this.stray(segment, 'GS outside an interchange');
    this.closeGroup();
    this.group = openGroup(segment);
    this.interchange.groups.push(this.group);
  }

  private ge(segment: Segment): void {
    if (!this.group) return this.stray(segment, 'GE without a GS before it');
    this.set = null;
    this.group.ge = segment;
    this.group = null;
  }

  private st(segment: Segment): void {
    if (!this.group || !this.interchange) {
      return this.stray(segment, 'ST outside a functional group: the set cannot be taken');
    }
    this.set = {
      st: { ...segment, position: 1 },
      se: null,
      body: [],
      type: el(segment, 1),
      controlNumber: el(segment, 2),
      version: this.group.version || this.interchange.version,
      groupControlNumber: this.group.controlNumber,
      interchangeControlNumber: this.interchange.controlNumber,
      groupDate: el(this.group.gs, 4),
      groupTime: el(this.group.gs, 5),
    };
    this.group.sets.push(this.set);
  }

  private se(segment: Segment): void {
    if (!this.set) return this.stray(segment, 'SE without an ST before it');
    this.set.se = { ...segment, position: this.set.body.length + 2 };
    this.set = null;
  }

  private body(segment: Segment): void {
    if (!this.set) return this.stray(segment, `${segment.tag} outside a transaction set`);
    this.set.body.push({ ...segment, position: this.set.body.length + 2 });
  }

  /** A group or set still open when its parent ends keeps a null trailer: it was cut off. */
  private closeGroup(): void {
    this.set = null;
    this.group = null;
  }
}

export function nestInterchanges(
  segments: readonly Segment[],
  separators: Separators,
): X12Document {
  const nester = new Nester();
  for (const segment of segments) nester.add(segment);

  return { separators, interchanges: nester.interchanges, strays: nester.strays };
}
