import fc from 'fast-check';
import { X12Parser, type X12Interchange } from 'node-x12';
import { describe, expect, it } from 'vitest';

import { write997 } from '../../server/integration/x12/ack-997';
import { checkEnvelope } from '../../server/integration/x12/envelope';
import { readInterchange } from '../../server/integration/x12/read-interchange';
import { buildInterchange, type GroupSpec, type InterchangeSpec } from './helpers/build-x12';
import { NOW } from './helpers/samples';

// The 997 writer against interchanges with any mix of envelope faults: its output always parses
// (node-x12 in strict mode, which checks SE01, GE01, IEA01 and the trailer control numbers) and
// its counts agree with an oracle computed from how each interchange was built.

interface SetFault {
  se01Off: number;
  se02Wrong: boolean;
  omitSe: boolean;
}

const setFault: fc.Arbitrary<SetFault> = fc.record({
  se01Off: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: -3, max: 5 })),
  se02Wrong: fc.boolean(),
  omitSe: fc.boolean(),
});

interface GroupFaults {
  sets: SetFault[];
  ge01Off: number;
  ge02Wrong: boolean;
  omitGe: boolean;
}

interface Case {
  groups: GroupFaults[];
  lenient: boolean;
}

const groupArb: fc.Arbitrary<GroupFaults> = fc.record({
  sets: fc.array(setFault, { minLength: 1, maxLength: 4 }),
  ge01Off: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 })),
  ge02Wrong: fc.boolean(),
  omitGe: fc.boolean(),
});

const caseArb: fc.Arbitrary<Case> = fc.record({
  groups: fc.array(groupArb, { minLength: 1, maxLength: 3 }),
  lenient: fc.boolean(),
});

function specOf(c: Case): InterchangeSpec {
  const groups: GroupSpec[] = c.groups.map((g, gi) => ({
    control: String(100 + gi),
    ge01: g.ge01Off ? String(g.sets.length + g.ge01Off) : undefined,
    ge02: g.ge02Wrong ? '9999' : undefined,
    omitGe: g.omitGe,
    sets: g.sets.map((s, si) => ({
      control: String(si + 1).padStart(4, '0'),
      // ORDER_BODY has 7 segments: a sound SE01 is 9.
      se01: s.se01Off ? String(9 + s.se01Off) : undefined,
      se02: s.se02Wrong ? '8888' : undefined,
      omitSe: s.omitSe,
    })),
  }));

  return { groups };
}

/** What the 997 must say, from the build instructions alone. */
function oracle(c: Case) {
  return c.groups.map((g) => {
    const taken = g.sets.map((s) => {
      const sound = !s.se02Wrong && s.se01Off === 0;
      return !s.omitSe && (sound || c.lenient) && !g.omitGe;
    });
    const declared = g.omitGe ? g.sets.length : g.sets.length + g.ge01Off;

    return { received: g.sets.length, accepted: taken.filter(Boolean).length, declared };
  });
}

function ak9s(ack: string): number[][] {
  return ack
    .split('~')
    .filter((s) => s.startsWith('AK9*'))
    .map((s) => s.split('*').slice(2, 5).map(Number));
}

describe('997 writer property', () => {
  it('always parses strictly and its AK9 counts match the oracle', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const read = readInterchange(buildInterchange(specOf(c)));
        if (!read.ok) return false;
        const check = checkEnvelope(read.document.interchanges[0]!, { lenient: c.lenient });
        const ack = write997(check, { controlNumbers: { interchange: 7, group: 7 }, now: NOW })!;
        const parsed = new X12Parser(true).parse(ack) as X12Interchange;
        const expected = oracle(c);
        expect(parsed.functionalGroups[0]!.transactions).toHaveLength(c.groups.length);
        expect(ak9s(ack)).toEqual(expected.map((e) => [e.declared, e.received, e.accepted]));
        const ak2s = ack.split('~').filter((s) => s.startsWith('AK2*')).length;
        expect(ak2s).toBe(c.groups.reduce((n, g) => n + g.sets.length, 0));

        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('997 envelope', () => {
  const raw = buildInterchange({
    groups: [{ control: '41', sets: [{ control: '0001' }] }],
    usage: 'T',
  });
  const read = readInterchange(raw);
  if (!read.ok) throw new Error(read.reason);
  const check = checkEnvelope(read.document.interchanges[0]!);

  it('answers from the receiver to the sender, with the control numbers it is given', () => {
    const ack = write997(check, {
      controlNumbers: { interchange: 12345, group: 678, firstSet: 9 },
      now: NOW,
    })!;
    expect(
      ack.startsWith(
        'ISA*00*          *00*          *ZZ*CT TOWER       *ZZ*PF             *260201*1200*U*00401*000012345*0*T*>~',
      ),
    ).toBe(true);
    expect(ack).toContain('~GS*FA*CT TOWER*PF*20260201*1200*678*X*004010~ST*997*0009~');
    expect(ack.endsWith('~SE*6*0009~GE*1*678~IEA*1*000012345~')).toBe(true);
  });

  it('refuses a control number out of range rather than writing a bad envelope', () => {
    expect(() =>
      write997(check, { controlNumbers: { interchange: 0, group: 1 }, now: NOW }),
    ).toThrow(RangeError);
    expect(() =>
      write997(check, { controlNumbers: { interchange: 1e9, group: 1 }, now: NOW }),
    ).toThrow(RangeError);
  });
});
